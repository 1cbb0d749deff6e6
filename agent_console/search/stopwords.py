"""Words that say nothing about what the customer needs.

Two lists. `INDEX_STOP` holds function words (prepositions, pronouns, particles): they are left
out of the index, which makes it smaller and every query cheaper. `QUERY_STOP` adds what
customers wrap their question in — greetings, politeness, "tell me what to do" — which is
dropped from a query but still indexed, so the script "Good evening, ..." can be found by
"evening". Both are compared with lowercase words, `ё` folded, before stemming.
"""

from __future__ import annotations

_RU_FUNCTION = """
и в во не что он на я с со как а то все всё она так его но да ты к у же вы за бы по только ее её
мне было вот от меня еще ещё о из ему теперь когда даже ну вдруг ли если уже или ни быть был
него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней
для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того
потому этого какой совсем ним здесь этом почти мой тем чтобы нее неё сейчас были куда зачем
всех никогда можно при наконец об другой хоть после над больше тот через эти нас про всего них
какая много разве эту моя впрочем свою этой перед иногда чуть том нельзя такой им более всегда
конечно всю между это эта мои моё мое моего моей моих мой твой ваш ваша ваше ваши вашего вашей
ваших наш наша наше наши свой свои своего своей который которая которое которые которых
также либо ли лишь пусть именно какие какое каким каких такие такое таких этим этих тех те
то-то что-то как-то где-то кто-то какой-то какая-то какие-то чем-то чего-то
"""

_EN_FUNCTION = """
i me my myself we our ours ourselves you your yours yourself he him his she her hers it its
itself they them their theirs what which who whom this that these those am is are was were be
been being have has had having do does did doing a an the and but if or because as until while
of at by for with about against between into through during before after above below to from
up in out on off over under again further then once here there when where why how all any both
each few more most other some such nor only own same so than too very s t can will just should
now im ive id ill youre dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt
shouldnt hasnt havent hadnt also would could may might must shall not whats thats theres heres
hows wheres whos lets youve weve theyre theyve ive youll hes shes its
"""

# What a question is wrapped in: greetings, politeness, fillers, "what should I do".
_RU_WRAPPING = """
здравствуйте здраствуйте здравствуй здрасте здрасьте здрастье привет приветствую добрый доброе
доброго доброй алло ало але девушка молодой человек пожалуйста пожалуиста пожалуста плиз
спасибо благодарю подскажите подскажи скажите скажи помогите помоги помочь хочу хотел хотела
хотели хотелось хотим нужно нужна нужен нужны надо делать сделать почему зачем вообще просто
очень типа короче блин щас сейчас сегодня вчера опять снова снова ещё уже вот вас вами
пожалуйсто проблема проблемы проблему подсказать узнать интересует интересуют вопрос вопросом
вопросы мне меня у я мы нам нас можете могу можно ли что как какой почему когда
третий третии второй второи четвертый пятый весь целый целую неделю недели неделя сутки
постоянно вообще совсем абсолютно полностью вроде кажется ощущение сколько
"""

_EN_WRAPPING = """
hello hi hey hiya good morning afternoon evening please pls plz thanks thank thx cheers help
hope wonder wondering wondered ok okay yes yeah um uh just really actually still anyone someone
something anything today yesterday tell know want wanted need needed like get got trying tried
seems question problem issue guys sir madam dear ago since completely totally
basically literally anymore whole entire constantly keeps kept nothing everything much many
"""

# Greetings of two words, dropped from a query as a whole: "добрый день" but not "3 дня".
GREETING_PAIRS = frozenset(
    {
        ("добрый", "день"),
        ("добрыи", "день"),
        ("добрый", "вечер"),
        ("добрыи", "вечер"),
        ("доброе", "утро"),
        ("доброго", "дня"),
        ("доброго", "утра"),
        ("доброго", "вечера"),
        ("доброго", "времени"),
        ("времени", "суток"),
        ("доброй", "ночи"),
        ("good", "day"),
        ("good", "night"),
    }
)


def _with_folded(text: str) -> frozenset[str]:
    words = set(text.split())
    return frozenset(words | {w.replace("й", "и").replace("ё", "е") for w in words})


INDEX_STOP: frozenset[str] = _with_folded(_RU_FUNCTION + _EN_FUNCTION)
QUERY_STOP: frozenset[str] = INDEX_STOP | _with_folded(_RU_WRAPPING + _EN_WRAPPING)
