"""Words customers use for the things articles name otherwise: "инет" for "интернет", "telly" for
"TV". Each group is a set of words meaning the same thing; a query word from a group also looks
for the others (at a lower weight than its own spelling). Words are written as customers type
them; they go through the same stemming as everything else.
"""

from __future__ import annotations

from functools import cache

from agent_console.search.text import normalise, stem

GROUPS: tuple[tuple[str, ...], ...] = (
    # Russian
    ("интернет", "инет", "интернета", "тырнет"),
    ("wifi", "вайфай", "вайфая", "вай-фай", "вифи", "wi-fi", "беспроводной"),
    ("роутер", "маршрутизатор", "модем", "рутер", "роутора"),
    ("телевизор", "телик", "телек", "тв", "телевидение", "ящик"),
    ("приставка", "тв-приставка", "ресивер", "тюнер", "декодер", "приставку"),
    ("пульт", "пультик", "лентяйка"),
    ("компьютер", "комп", "компе", "компа", "пк", "ноутбук", "ноут"),
    ("телефон", "мобильный", "смартфон", "сотовый"),
    ("оплата", "оплатить", "заплатить", "платеж", "платить", "внести"),
    ("деньги", "денег", "средства", "сумма"),
    ("баланс", "счет", "лицевой"),
    ("стоимость", "цена", "стоит", "стоить", "почем", "расценки"),
    ("подорожание", "подорожал", "повышение", "дороже", "подняли"),
    ("скорость", "медленно", "медленный", "тормозит", "тормоза", "тупит", "грузится"),
    ("пропадает", "отваливается", "обрывается", "отключается", "вылетает", "разрыв", "обрыв"),
    ("лаги", "лагает", "лагать", "пинг", "задержка"),
    ("переезд", "переезжаю", "переехал", "переезжаем", "переехали", "переехать"),
    ("расторгнуть", "расторжение", "отказаться", "закрыть"),
    ("пароль", "пассворд"),
    ("сброс", "сбросить", "ресет", "reset"),
    ("перезагрузка", "перезагрузить", "перезапуск", "перезапустить"),
    ("мигает", "моргает", "горит", "лампочка", "индикатор", "светодиод"),
    ("канал", "каналы", "программа", "передача"),
    ("кабель", "провод", "шнур"),
    ("гудок", "гудка", "гудков"),
    ("вернуть", "возврат", "вернули", "сдать", "отдать"),
    ("международный", "заграница", "границу", "зарубеж", "зарубежный"),
    ("межгород", "междугородний", "междугородные"),
    ("техник", "мастер", "монтажник", "выезд"),
    ("войти", "вход", "зайти", "залогиниться", "авторизация", "логин"),
    ("начальник", "руководитель", "старший", "руководство", "директор", "менеджер"),
    ("жалоба", "претензия", "пожаловаться", "рекламация"),
    ("ругаться", "мат", "материться", "выругался", "оскорбления", "нецензурный"),
    ("приостановить", "заморозить", "пауза"),
    ("автоплатеж", "автооплата", "автосписание", "автоматически"),
    ("перерасчет", "компенсация", "компенсировать", "компенсируете"),
    ("мошенники", "мошенничество", "развод", "фишинг", "обман"),
    ("акция", "скидка"),
    # English
    ("internet", "net", "web", "online", "connection"),
    ("router", "modem", "hub"),
    ("tv", "telly", "television", "telivision"),
    ("set-top", "settop", "stb", "receiver", "decoder"),
    ("remote", "clicker", "zapper"),
    ("computer", "pc", "laptop", "notebook"),
    ("pay", "payment", "paid", "topup", "top-up"),
    ("price", "cost", "fee", "charge", "pricing"),
    ("tariff", "plan", "package"),
    ("slow", "sluggish", "laggy", "crawling", "speed"),
    ("drops", "disconnects", "cuts", "dropping", "unstable", "disconnecting"),
    ("lag", "ping", "latency"),
    ("move", "moving", "relocate", "relocating", "relocation"),
    ("cancel", "terminate", "termination", "cancellation", "quit"),
    ("password", "passcode"),
    ("reboot", "restart", "reset", "power-cycle"),
    ("lights", "light", "led", "leds", "blinking", "flashing", "indicator"),
    ("channel", "channels", "station", "programme", "program"),
    ("cable", "wire", "cord"),
    ("refund", "reimburse", "reimbursement"),
    ("bill", "invoice", "statement", "charges"),
    ("international", "abroad", "overseas", "foreign"),
    ("technician", "engineer", "installer", "repairman", "visit"),
    ("login", "log", "signin"),
    ("manager", "supervisor", "senior", "boss", "superior"),
    ("complaint", "complain", "claim"),
    ("swear", "swore", "swearing", "cursing", "curse", "profanity", "abuse"),
    ("hang", "hung", "hangup"),
    ("suspend", "pause", "freeze"),
    ("compensation", "compensate", "recalculation", "refund"),
    ("scam", "fraud", "phishing", "scammer", "fraudster"),
    ("offer", "promotion", "deal", "discount", "promo"),
    ("landline", "homephone"),
)


@cache
def _table() -> dict[str, tuple[str, ...]]:
    """term -> the other terms of its groups (built on first use, not at import)."""
    table: dict[str, set[str]] = {}
    for group in GROUPS:
        terms = {_term(word) for word in group} - {""}
        for term in terms:
            table.setdefault(term, set()).update(terms - {term})
    return {term: tuple(sorted(others)) for term, others in table.items()}


def _term(word: str) -> str:
    word = normalise(word).replace("-", "").replace(" ", "")
    return stem(word)


def synonyms(term: str) -> tuple[str, ...]:
    """Other terms meaning the same as `term` (empty when it has none)."""
    return _table().get(term, ())
