"""The HamNoSys 4 symbol table: every symbol's name, code point and the part of a sign it belongs to.

Symbols are Unicode private-use code points (U+E000...) plus a few ASCII ones (space, ``{|}`` for
alternatives, sentence punctuation). The names are the standard HamNoSys names (``hamflathand``); the kinds
are the parser's classes of symbols. The table is the one published with lingpy/pysign (MIT), regrouped
by kind; tests/dictionary checks it against that repository's ``hamsymbols.tsv``.
"""

from __future__ import annotations

# kind -> (name, code point) of each symbol of that kind
SYMBOLS_BY_KIND: dict[str, tuple[tuple[str, int], ...]] = {
    "space": (
        ("hamspace", 0x0020),
    ),
    "punctuation": (
        ("hamexclaim", 0x0021), ("hamcomma", 0x002C), ("hamfullstop", 0x002E), ("hamquery", 0x003F),
    ),
    "altbegin": (
        ("hamaltbegin", 0x007B),
    ),
    "altor": (
        ("hammetaalt", 0x007C),
    ),
    "altend": (
        ("hamaltend", 0x007D),
    ),
    "handshape": (
        ("hamfist", 0xE000), ("hamflathand", 0xE001), ("hamfinger2", 0xE002), ("hamfinger23", 0xE003),
        ("hamfinger23spread", 0xE004), ("hamfinger2345", 0xE005), ("hampinch12", 0xE006), ("hampinchall", 0xE007),
        ("hampinch12open", 0xE008), ("hamcee12", 0xE009), ("hamceeall", 0xE00A), ("hamceeopen", 0xE00B),
    ),
    "thumb": (
        ("hamthumboutmod", 0xE00C), ("hamthumbacrossmod", 0xE00D), ("hamthumbopenmod", 0xE00E),
    ),
    "bending": (
        ("hamfingerstraightmod", 0xE010), ("hamfingerbendmod", 0xE011), ("hamfingerhookmod", 0xE012),
        ("hamdoublebent", 0xE013), ("hamdoublehooked", 0xE014),
    ),
    "extfinger": (
        ("hamextfingeru", 0xE020), ("hamextfingerur", 0xE021), ("hamextfingerr", 0xE022), ("hamextfingerdr", 0xE023),
        ("hamextfingerd", 0xE024), ("hamextfingerdl", 0xE025), ("hamextfingerl", 0xE026), ("hamextfingerul", 0xE027),
        ("hamextfingerol", 0xE028), ("hamextfingero", 0xE029), ("hamextfingeror", 0xE02A), ("hamextfingeril", 0xE02B),
        ("hamextfingeri", 0xE02C), ("hamextfingerir", 0xE02D), ("hamextfingerui", 0xE02E), ("hamextfingerdi", 0xE02F),
        ("hamextfingerdo", 0xE030), ("hamextfingeruo", 0xE031),
    ),
    "palm": (
        ("hampalmu", 0xE038), ("hampalmur", 0xE039), ("hampalmr", 0xE03A), ("hampalmdr", 0xE03B),
        ("hampalmd", 0xE03C), ("hampalmdl", 0xE03D), ("hampalml", 0xE03E), ("hampalmul", 0xE03F),
    ),
    "location": (
        ("hamhead", 0xE040), ("hamheadtop", 0xE041), ("hamforehead", 0xE042), ("hameyebrows", 0xE043),
        ("hameyes", 0xE044), ("hamnose", 0xE045), ("hamnostrils", 0xE046), ("hamear", 0xE047), ("hamearlobe", 0xE048),
        ("hamcheek", 0xE049), ("hamlips", 0xE04A), ("hamtongue", 0xE04B), ("hamteeth", 0xE04C), ("hamchin", 0xE04D),
        ("hamunderchin", 0xE04E), ("hamneck", 0xE04F), ("hamshouldertop", 0xE050), ("hamshoulders", 0xE051),
        ("hamchest", 0xE052), ("hamstomach", 0xE053), ("hambelowstomach", 0xE054), ("hamneutralspace", 0xE05F),
        ("hamupperarm", 0xE060), ("hamelbow", 0xE061), ("hamelbowinside", 0xE062), ("hamlowerarm", 0xE063),
        ("hamwristback", 0xE064), ("hamwristpulse", 0xE065), ("hamthumbball", 0xE066), ("hampalm", 0xE067),
        ("hamhandback", 0xE068), ("hamthumbside", 0xE069), ("hampinkyside", 0xE06A), ("hamwristtopulse", 0xE07C),
        ("hamwristtoback", 0xE07D), ("hamwristtothumb", 0xE07E), ("hamwristtopinky", 0xE07F),
    ),
    "locationmod": (
        ("hamlrbeside", 0xE058), ("hamlrat", 0xE059), ("hamcoreftag", 0xE05A), ("hamcorefref", 0xE05B),
        ("hamarmextended", 0xE0D4), ("hambehind", 0xE0D5),
    ),
    "finger": (
        ("hamthumb", 0xE070), ("hamindexfinger", 0xE071), ("hammiddlefinger", 0xE072), ("hamringfinger", 0xE073),
        ("hampinky", 0xE074),
    ),
    "fingerpart": (
        ("hamfingertip", 0xE075), ("hamfingernail", 0xE076), ("hamfingerpad", 0xE077), ("hamfingermidjoint", 0xE078),
        ("hamfingerbase", 0xE079), ("hamfingerside", 0xE07A),
    ),
    "movement": (
        ("hammoveu", 0xE080), ("hammoveur", 0xE081), ("hammover", 0xE082), ("hammovedr", 0xE083),
        ("hammoved", 0xE084), ("hammovedl", 0xE085), ("hammovel", 0xE086), ("hammoveul", 0xE087),
        ("hammoveol", 0xE088), ("hammoveo", 0xE089), ("hammoveor", 0xE08A), ("hammoveil", 0xE08B),
        ("hammovei", 0xE08C), ("hammoveir", 0xE08D), ("hammoveui", 0xE08E), ("hammovedi", 0xE08F),
        ("hammovedo", 0xE090), ("hammoveuo", 0xE091), ("hamcircleo", 0xE092), ("hamcirclei", 0xE093),
        ("hamcircled", 0xE094), ("hamcircleu", 0xE095), ("hamcirclel", 0xE096), ("hamcircler", 0xE097),
        ("hamcircleul", 0xE098), ("hamcircledr", 0xE099), ("hamcircleur", 0xE09A), ("hamcircledl", 0xE09B),
        ("hamcircleol", 0xE09C), ("hamcircleir", 0xE09D), ("hamcircleor", 0xE09E), ("hamcircleil", 0xE09F),
        ("hamcircleui", 0xE0A0), ("hamcircledo", 0xE0A1), ("hamcircleuo", 0xE0A2), ("hamcircledi", 0xE0A3),
        ("hamfingerplay", 0xE0A4), ("hamnodding", 0xE0A5), ("hamswinging", 0xE0A6), ("hamtwisting", 0xE0A7),
        ("hamstircw", 0xE0A8), ("hamstirccw", 0xE0A9), ("hamreplace", 0xE0AA), ("hammovecross", 0xE0AD),
        ("hammoveX", 0xE0AE), ("hamnomotion", 0xE0AF),
    ),
    "movementmod": (
        ("hamclocku", 0xE0B0), ("hamclockul", 0xE0B1), ("hamclockl", 0xE0B2), ("hamclockdl", 0xE0B3),
        ("hamclockd", 0xE0B4), ("hamclockdr", 0xE0B5), ("hamclockr", 0xE0B6), ("hamclockur", 0xE0B7),
        ("hamclockfull", 0xE0B8), ("hamarcl", 0xE0B9), ("hamarcu", 0xE0BA), ("hamarcr", 0xE0BB), ("hamarcd", 0xE0BC),
        ("hamwavy", 0xE0BD), ("hamzigzag", 0xE0BE), ("hamellipseh", 0xE0C0), ("hamellipseur", 0xE0C1),
        ("hamellipsev", 0xE0C2), ("hamellipseul", 0xE0C3), ("hamincreasing", 0xE0C4), ("hamdecreasing", 0xE0C5),
        ("hamsmallmod", 0xE0C6), ("hamlargemod", 0xE0C7), ("hamfast", 0xE0C8), ("hamslow", 0xE0C9),
        ("hamtense", 0xE0CA), ("hamrest", 0xE0CB), ("hamhalt", 0xE0CC),
    ),
    "contact": (
        ("hamclose", 0xE0D0), ("hamtouch", 0xE0D1), ("haminterlock", 0xE0D2), ("hamcross", 0xE0D3),
    ),
    "brushing": (
        ("hambrushing", 0xE0D6),
    ),
    "repetition": (
        ("hamrepeatfromstart", 0xE0D8), ("hamrepeatfromstartseveral", 0xE0D9), ("hamrepeatcontinue", 0xE0DA),
        ("hamrepeatcontinueseveral", 0xE0DB), ("hamrepeatreverse", 0xE0DC),
    ),
    "alternation": (
        ("hamalternatingmotion", 0xE0DD),
    ),
    "seqbegin": (
        ("hamseqbegin", 0xE0E0),
    ),
    "seqend": (
        ("hamseqend", 0xE0E1),
    ),
    "parbegin": (
        ("hamparbegin", 0xE0E2),
    ),
    "parend": (
        ("hamparend", 0xE0E3),
    ),
    "fusionbegin": (
        ("hamfusionbegin", 0xE0E4),
    ),
    "fusionend": (
        ("hamfusionend", 0xE0E5),
    ),
    "between": (
        ("hambetween", 0xE0E6),
    ),
    "plus": (
        ("hamplus", 0xE0E7),
    ),
    "symmetry": (
        ("hamsymmpar", 0xE0E8), ("hamsymmlr", 0xE0E9), ("hamnondominant", 0xE0EA), ("hamnonipsi", 0xE0EB),
    ),
    "etc": (
        ("hametc", 0xE0EC),
    ),
    "orientationmod": (
        ("hamorirelative", 0xE0ED),
    ),
    "mime": (
        ("hammime", 0xE0F0),
    ),
}

NAME_OF: dict[str, str] = {chr(code): name for group in SYMBOLS_BY_KIND.values() for name, code in group}
KIND_OF: dict[str, str] = {chr(code): kind for kind, group in SYMBOLS_BY_KIND.items() for _, code in group}
SYMBOL_OF: dict[str, str] = {name: symbol for symbol, name in NAME_OF.items()}

