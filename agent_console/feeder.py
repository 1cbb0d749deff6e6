"""The feeder: new contacts arriving at random, so the queue moves in demos, training, load tests.

Arrivals are a Poisson process (exponential gaps at the asked rate). Everything that varies is
injected — the random generator, the clock and the sleep — so a test runs an hour of arrivals in
no time and gets the same contacts every run. Every contact is written by `store.queue.add`, one
transaction each, exactly as an integration would write it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from agent_console.clock import Clock
from agent_console.domain import Customer
from agent_console.store import Store

T = TypeVar("T")

CHANNEL_WEIGHTS = {"phone": 55, "chat": 25, "email": 12, "social": 8}
PRIORITY_WEIGHTS = {1: 3, 2: 14, 3: 75, 4: 8}
UNKNOWN_SHARE = 0.08
# With an outage in force, this share of contacts comes from the customers of the city it hits.
OUTAGE_SHARE = 0.4
OUTAGE_TOPICS = {"no_internet": 5, "tv_no_signal": 3, "outage": 2}

# An evening on the front line: connection trouble and money lead (per 100 contacts).
TOPIC_WEIGHTS = {
    "no_internet": 14,
    "slow_internet": 11,
    "router": 7,
    "tv_no_signal": 7,
    "set_top_box": 5,
    "channel_removed": 5,
    "fee_increase": 6,
    "billing": 12,
    "tariff": 6,
    "promotion": 5,
    "moving": 3,
    "cancellation": 3,
    "outage": 2,
    "telephony": 3,
    "compensation": 3,
    "wish": 2,
    "complaint": 4,
}
# People write about money and grievances, and call about things that are broken now.
CHANNEL_TOPIC_BIAS: dict[str, dict[str, float]] = {
    "email": {
        "billing": 2,
        "compensation": 3,
        "complaint": 3,
        "wish": 3,
        "moving": 2,
        "fee_increase": 2,
        "no_internet": 0.3,
        "tv_no_signal": 0.3,
        "router": 0.5,
    },
    "social": {"outage": 3, "channel_removed": 2, "complaint": 2, "fee_increase": 2},
}

# A customer asks about the services they have (a customer without a list may ask anything).
_NEEDS = {
    "Internet": ("no_internet", "slow_internet", "router", "fee_increase", "tariff"),
    "TV": ("tv_no_signal", "channel_removed", "promotion"),
    "Home phone": ("telephony",),
}
_STB = ("STB", "Digital TV")

IVR = {
    "no_internet": ["Internet > No connection"],
    "slow_internet": ["Internet > Slow speed", "Internet > Wi-Fi and router"],
    "router": ["Internet > Wi-Fi and router", "Equipment > Router"],
    "tv_no_signal": ["TV > No signal"],
    "set_top_box": ["TV > Set-top box", "Equipment > Set-top box"],
    "channel_removed": ["TV > Channels and packages"],
    "fee_increase": ["Billing > Prices and tariffs"],
    "billing": ["Billing > Balance and payments", "Billing > Invoices"],
    "tariff": ["Billing > Prices and tariffs", "Sales > Change tariff"],
    "promotion": ["Sales > Digital TV 2.0", "TV > Channels and packages"],
    "moving": ["Contract > Moving house"],
    "cancellation": ["Contract > Termination"],
    "outage": ["Internet > Outages and planned works"],
    "telephony": ["Home phone > No dial tone", "Home phone > Noise on the line"],
    "compensation": ["Billing > Recalculation"],
    "wish": ["Other > Suggestions"],
    "complaint": ["Other > Quality of service"],
}

# First messages as customers type them. Slots: {speed} (their tariff), {got} (what they measure).
TYPED = {
    "no_internet": {
        "ru": [
            "нет интернета с утра, роутер перезагружали — не помогло",
            "Здравствуйте, интернет пропал, на роутере горит красная лампочка. Что делать?",
            "У нас весь подъезд без интернета, соседи тоже. Это авария? когда починят",
        ],
        "en": [
            "Hi, no internet since this morning, I already restarted the router twice",
            "My internet is down and the light on the router is red. Can you check the line?",
        ],
    },
    "slow_internet": {
        "ru": [
            "Вечером скорость падает до {got} мегабит, тариф {speed}. Сколько можно",
            "вайфай в дальней комнате почти не ловит, на телефоне видео тормозит",
        ],
        "en": [
            "Internet is really slow in the evenings, {got} Mbps on the {speed} plan",
            "Wi-Fi keeps dropping on my laptop, the cable is fine. What can I do?",
        ],
    },
    "router": {
        "ru": [
            "как поменять пароль на вайфай? роутер ваш, Volna R2 AX",
            "купил роутер TP-Link, можно его подключить вместо вашего?",
        ],
        "en": [
            "How do I change the Wi-Fi password on the Volna R1?",
            "Can I use my own Keenetic router instead of the rented one?",
        ],
    },
    "tv_no_signal": {
        "ru": [
            "телевизор пишет нет сигнала на всех каналах, кабель проверила",
            "Здравствуйте, с вечера не показывает ТВ, ни один канал",
        ],
        "en": [
            "TV says no signal on every channel, the cable is plugged in",
            "No TV since this evening, all channels are black",
        ],
    },
    "set_top_box": {
        "ru": [
            "приставка зависла на логотипе и не грузится, перезагружали",
            "Пульт от приставки не слушается голосом, кнопки работают",
        ],
        "en": [
            "The Volna 2.0 box is stuck on the logo after an update",
            "Voice search on the remote doesn't work, the buttons do",
        ],
    },
    "channel_removed": {
        "ru": [
            "верните Кино Премьеру!!! платим за базовый пакет а каналы убираете",
            "Где канал Кино Премьера? Вчера ещё был",
        ],
        "en": [
            "Where is Kino Premiere? It was in my Basic package last week",
            "Why did you remove Kino Premiere without asking?",
        ],
    },
    "fee_increase": {
        "ru": [
            "Почему с декабря интернет будет дороже? Я согласия не давала",
            "пришло уведомление что абонентка будет 650 вместо 550, это законно вообще?",
        ],
        "en": [
            "Why is my internet going up from 550 to 650 in December?",
            "I got a notice about a price increase. I never agreed to that",
        ],
    },
    "billing": {
        "ru": [
            "списали деньги два раза за ноябрь!!! верните пожалуйста",
            "Оплатил вчера через приложение, а баланс всё ещё минус",
            "пришлите квитанции за последние два месяца на почту",
        ],
        "en": [
            "I paid yesterday in the app but my balance is still negative",
            "I was charged twice this month, please refund one payment",
        ],
    },
    "tariff": {
        "ru": [
            "хочу перейти на {speed} мегабит, сколько будет стоить?",
            "какой тариф дешевле если интернет нужен только для почты",
        ],
        "en": [
            "How much would the Gigabit plan cost me? I'm on {speed} now",
            "Is there a cheaper plan? I barely use the internet",
        ],
    },
    "promotion": {
        "ru": [
            "здравствуйте а приставка волна 2.0 правда бесплатно? а через год скока",
            "Увидел рекламу Цифрового ТВ 2.0, как подключить?",
        ],
        "en": [
            "Is the Volna 2.0 box really free? What happens after 12 months?",
            "How do I switch from cable TV to Digital TV 2.0?",
        ],
    },
    "moving": {
        "ru": [
            "Переезжаем в другую квартиру в следующем месяце, можно перенести договор?",
            "переезд, как забрать интернет на новый адрес",
        ],
        "en": [
            "I'm moving next month. Can I keep my contract and the router?",
            "Moving to a new flat, how long does it take to transfer the service?",
        ],
    },
    "cancellation": {
        "ru": [
            "хочу расторгнуть договор, что для этого нужно",
            "Уезжаю из города, как отключиться и вернуть роутер?",
        ],
        "en": [
            "I want to cancel my contract, what do I need to do?",
            "Leaving the city, how do I end the contract and return the equipment?",
        ],
    },
    "outage": {
        "ru": [
            "Волна, вы там живы? район без инета и тв уже второй час",
            "у вас авария? интернет и тв пропали одновременно",
        ],
        "en": [
            "Is there an outage? Internet and TV went off at the same time",
            "Whole building is offline, any news on the repair?",
        ],
    },
    "telephony": {
        "ru": [
            "Домашний телефон не работает, гудка нет",
            "в трубке треск и шум, собеседника плохо слышно",
        ],
        "en": [
            "My home phone has no dial tone since this morning",
            "Lots of noise on the home phone line, I can barely hear anyone",
        ],
    },
    "compensation": {
        "ru": [
            "Прошу сделать перерасчёт за дни когда не было интернета",
            "Три дня не было ТВ, вы вернёте деньги за эти дни?",
        ],
        "en": [
            "Please recalculate my bill for the days without internet",
            "I had no service for three days. Will I get a refund?",
        ],
    },
    "wish": {
        "ru": [
            "Предложение: сделайте в приложении добровольную блокировку на время отпуска",
            "было бы удобно платить через СБП прямо в личном кабинете",
        ],
        "en": [
            "Suggestion: let us pause the service in the app while on holiday",
            "It would be nice to see the speed history in the app",
        ],
    },
    "complaint": {
        "ru": [
            "Пишу уже третий раз!! мастер не пришёл, никто не перезвонил",
            "Оператор вчера бросил трубку. Хочу оставить жалобу",
        ],
        "en": [
            "Third time I'm writing. The technician never came and nobody called back",
            "Your operator promised a callback that never happened. I want to complain",
        ],
    },
}
EMAIL_OPENERS = {
    "ru": ["Здравствуйте!", "Добрый день.", "Добрый вечер!"],
    "en": ["Hello,", "Hi,", "Good evening,"],
}
CHAT_OPENERS = {
    "ru": ["Здравствуйте! ", "добрый вечер, ", "привет) ", "", "", ""],
    "en": ["Hi, ", "Hello! ", "", ""],
}
SOCIAL_OPENERS = {"ru": ["Волна, ", "@volna_telecom ", ""], "en": ["@volna_telecom ", ""]}
# Something broken now is never "low"; only it, money taken and a customer about to leave are
# ever "urgent".
BROKEN = ("no_internet", "tv_no_signal", "telephony", "outage")
URGENT_TOPICS = (*BROKEN, "billing", "complaint", "cancellation")

_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?")


@dataclass(frozen=True, slots=True)
class NewContact:
    """A contact about to arrive: what `store.queue.add` needs, and who it is for the log."""

    channel: str
    customer_contract: str | None
    customer_name: str
    city: str
    topic: str
    subject: str
    priority: int
    created: datetime


def new_contact(
    rng: random.Random,
    customers: Sequence[Customer],
    clock: Clock,
    outage_cities: Collection[str] = (),
) -> NewContact:
    """One realistic new contact. `outage_cities` are the cities with an outage in force."""
    channel = _weighted(rng, CHANNEL_WEIGHTS)
    hit = [c for c in customers if c.city in outage_cities and _fits_any(c, OUTAGE_TOPICS)]
    customer: Customer | None
    if hit and rng.random() < OUTAGE_SHARE:
        customer = rng.choice(hit)
        topic = _weighted(rng, {t: w for t, w in OUTAGE_TOPICS.items() if _fits(customer, t)})
        priority = _weighted(rng, {1: 6, 2: 30, 3: 64})
    else:
        unknown = not customers or rng.random() < UNKNOWN_SHARE
        customer = None if unknown else rng.choice(customers)
        bias = CHANNEL_TOPIC_BIAS.get(channel, {})
        weights = {t: w * bias.get(t, 1) for t, w in TOPIC_WEIGHTS.items() if _fits(customer, t)}
        topic = _weighted(rng, weights)
        priority = _priority(rng, topic)
    return NewContact(
        channel=channel,
        customer_contract=customer.contract if customer else None,
        customer_name=customer.name if customer else _unknown_name(rng, channel),
        city=customer.city if customer else "",
        topic=topic,
        subject=_subject(rng, channel, topic, customer),
        priority=priority,
        created=clock.now(),
    )


def run(
    store: Store,
    rate_per_min: float,
    duration_s: float | None,
    rng: random.Random,
    sleep: Callable[[float], object],
    clock: Clock,
    on_contact: Callable[[NewContact, int], object] | None = None,
) -> int:
    """Write contacts at `rate_per_min` on average for `duration_s` (forever when None).

    Returns how many were written. The waits go through `sleep` and add up to the duration
    exactly; KeyboardInterrupt from it (or from anywhere) goes to the caller. Customers are read
    once; the outage notices before every contact, since one may start or end while it runs.
    """
    if rate_per_min <= 0:
        raise ValueError(f"the rate must be more than zero, not {rate_per_min}")
    customers = [c for c in map(store.people.customer, store.people.customer_contracts()) if c]
    rate_per_s = rate_per_min / 60
    elapsed = 0.0
    written = 0
    while True:
        wait = rng.expovariate(rate_per_s)
        if duration_s is not None and elapsed + wait >= duration_s:
            sleep(duration_s - elapsed)
            return written
        sleep(wait)
        elapsed += wait
        outages = {notice.city for notice in store.notices.active()}
        contact = new_contact(rng, customers, clock, outages)
        contact_id = queue_contact(store, contact)
        written += 1
        if on_contact is not None:
            on_contact(contact, contact_id)


def queue_contact(store: Store, contact: NewContact) -> int:
    """Put a made-up contact in the queue; its id. A caller on record is named by the card."""
    return store.queue.add(
        channel=contact.channel,
        customer_contract=contact.customer_contract,
        topic=contact.topic,
        subject=contact.subject,
        priority=contact.priority,
        created=contact.created,
        customer_name="" if contact.customer_contract else contact.customer_name,
    )


def parse_duration(text: str) -> float:
    """Seconds in "90s", "10m", "2h", "1h30m" or a plain number of seconds; ValueError if not."""
    cleaned = text.strip().lower().replace(" ", "")
    try:
        seconds = float(cleaned)
    except ValueError:
        match = _DURATION.fullmatch(cleaned)
        if not cleaned or match is None:
            raise ValueError(f"{text!r} is not a duration (try 90s, 10m, 2h or 1h30m)") from None
        hours, minutes, secs = (float(part or 0) for part in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"{text!r} is not a duration: it must be more than zero")
    return seconds


def _weighted(rng: random.Random, weights: Mapping[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _priority(rng: random.Random, topic: str) -> int:
    priority = _weighted(rng, PRIORITY_WEIGHTS)
    if priority == 1 and topic not in URGENT_TOPICS:
        priority = 2
    if topic in BROKEN:
        return min(priority, 3)
    if topic == "wish":
        return 4 if rng.random() < 0.6 else max(priority, 3)
    return priority


def _fits(customer: Customer | None, topic: str) -> bool:
    if customer is None or not customer.services:
        return True
    services = customer.services
    if topic == "set_top_box":
        return any(mark in s for s in services for mark in _STB)
    for mark, topics in _NEEDS.items():
        if topic in topics:
            return any(mark in s for s in services)
    return True


def _fits_any(customer: Customer, topics: Collection[str]) -> bool:
    return any(_fits(customer, topic) for topic in topics)


def _unknown_name(rng: random.Random, channel: str) -> str:
    if channel == "email":
        handle = rng.choice(["ivanova", "petrov", "k.smirnova", "alex", "nikolaev", "olga"])
        return f"Unknown sender {handle}{rng.randint(1, 99)}@{rng.choice(['mail.ru', 'ya.ru'])}"
    if channel == "social":
        return f"Unknown user vk.com/id{rng.randint(10_000_000, 899_999_999)}"
    number = f"+7 9{rng.randint(0, 99):02d} {rng.randint(0, 999):03d}-{rng.randint(0, 99):02d}"
    return f"Unknown caller {number}-{rng.randint(0, 99):02d}"


def _subject(rng: random.Random, channel: str, topic: str, customer: Customer | None) -> str:
    if channel == "phone":
        if rng.random() < 0.1:
            return "IVR: no choice made (asked for an operator)"
        return f"IVR: {rng.choice(IVR[topic])}"
    language = customer.language if customer else ("ru" if rng.random() < 0.9 else "en")
    if language not in ("ru", "en"):
        language = "en"
    if rng.random() < 0.03:
        language = "en" if language == "ru" else "ru"  # some write in the other language
    speed = _speed(customer) or rng.choice((100, 300, 500))
    text = rng.choice(TYPED[topic][language]).format(
        speed=speed, got=max(1, speed // rng.choice((5, 10, 20, 30)))
    )
    if channel == "email":
        sign = ""
        if customer is not None:
            sign = (
                f" Договор {customer.contract}."
                if language == "ru"
                else f" Thanks, {customer.first_name}"
            )
        return f"{rng.choice(EMAIL_OPENERS[language])} {_sentence(text)}{sign}"
    text = _typos(rng, text)
    if channel == "social":
        return rng.choice(SOCIAL_OPENERS[language]) + text
    if customer is not None and rng.random() < 0.2:
        text += f", {'договор' if language == 'ru' else 'contract'} {customer.contract}"
    opener = rng.choice(CHAT_OPENERS[language])
    if opener[:1].islower() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return opener + text


def _speed(customer: Customer | None) -> int | None:
    tariff = (customer.tariff or "") if customer else ""
    if "Gigabit" in tariff:
        return 1000
    digits = re.search(r"\d+", tariff)
    return int(digits.group()) if digits else None


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _typos(rng: random.Random, text: str) -> str:
    """Typed in a hurry: sometimes a letter swapped or lost, the capital and full stop skipped."""
    words = text.split(" ")
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 4 and word.isalpha():
            j = rng.randrange(1, len(word) - 2)
            if rng.random() < 0.5:
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
            else:
                words[i] = word[:j] + word[j + 1 :]
    text = " ".join(words)
    if rng.random() < 0.3 and text[1:2].islower():
        text = text[0].lower() + text[1:]
    if rng.random() < 0.3:
        text = text.rstrip(".")
    return text
