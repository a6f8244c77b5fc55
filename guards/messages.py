"""Refusal messages for blocked requests, in the language the request was written in.

:func:`detect_language` is a cheap stop-word vote (English, Spanish, French, German; English when
unsure). :func:`refusal` says what is not allowed, under which clause, and how to ask for the
legitimate version of the task.
"""

from __future__ import annotations

import re

__all__ = ["LANGUAGES", "detect_language", "refusal"]

LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de")

_STOP: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and for with that this to of is are you your my his her write draft please it be in on".split()
    ),
    "es": frozenset(
        "el la los las de del que y para con por una un su sus es mi mis escribe redacta como pero al lo se más "
        "le me si muy este esta estos todos todas sin sobre tu qué dile dame hay está son yo".split()
    ),
    "fr": frozenset(
        "le la les des du de et pour avec que qui une un est sur au aux son sa ses mon mes écris rédige il elle "
        "pas ce cette je tu nous vous dans moi lui leur plus qu'il ajoute donne-moi".split()
    ),
    "de": frozenset(
        "der die das und für mit ist ein eine einen zu den dem nicht sie er ich ihr sein seine schreib formuliere "
        "auf dass im mir dir du dich dein deine deinen alle bitte wie was zum zur von bei auch noch nach wird "
        "hat haben kann soll mein meine ihm ihn uns oder aber wenn weil bevor zeig gib".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Letters that belong to one language only: a strong hint in short texts.
_MARKS = {"es": re.compile(r"[ñ¿¡]"), "de": re.compile(r"[ßäöü]"), "fr": re.compile(r"[êèàçùœâî]")}


def detect_language(text: str) -> str:
    """Best guess of ``text``'s language among en/es/fr/de, by stop words; ``"en"`` when unsure."""
    words = [w.lower() for w in _WORD.findall(text[:2000])]
    score = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    for lang, pat in _MARKS.items():
        score[lang] += 2 * len(pat.findall(text[:2000].lower()))
    best = max(score, key=lambda k: score[k])
    return best if score[best] > score["en"] else "en"


# What is not allowed, per category, in each language.
_WHAT: dict[str, dict[str, str]] = {
    "deceptive_provenance": {
        "en": "hiding that a text was written with AI or presenting it as written by a person",
        "es": "ocultar que un texto se escribió con IA o presentarlo como escrito por una persona",
        "fr": "cacher qu'un texte a été rédigé avec l'IA ou le présenter comme écrit par une personne",
        "de": "zu verbergen, dass ein Text mit KI geschrieben wurde, oder ihn als menschlich verfasst auszugeben",
    },
    "hate": {
        "en": "content that demeans or excludes people for a protected characteristic",
        "es": "contenido que desprecia o excluye a personas por una característica protegida",
        "fr": "un contenu qui dénigre ou exclut des personnes pour une caractéristique protégée",
        "de": "Inhalte, die Menschen wegen eines geschützten Merkmals herabsetzen oder ausschließen",
    },
    "harassment": {
        "en": "insulting, mocking or humiliating a person",
        "es": "insultar, ridiculizar o humillar a una persona",
        "fr": "insulter, moquer ou humilier une personne",
        "de": "eine Person zu beleidigen, zu verspotten oder zu demütigen",
    },
    "violence": {
        "en": "threats or content that promotes violence",
        "es": "amenazas o contenido que promueve la violencia",
        "fr": "des menaces ou un contenu qui encourage la violence",
        "de": "Drohungen oder Inhalte, die Gewalt fördern",
    },
    "child_harm": {
        "en": "content that could harm or endanger children",
        "es": "contenido que pueda dañar o poner en peligro a menores",
        "fr": "un contenu qui pourrait nuire aux enfants ou les mettre en danger",
        "de": "Inhalte, die Kindern schaden oder sie gefährden könnten",
    },
    "self_harm": {
        "en": "content that encourages or explains self-harm",
        "es": "contenido que fomente o explique autolesiones",
        "fr": "un contenu qui encourage ou explique l'automutilation",
        "de": "Inhalte, die Selbstverletzung fördern oder erklären",
    },
    "sexual": {
        "en": "sexual content",
        "es": "contenido sexual",
        "fr": "un contenu sexuel",
        "de": "sexuelle Inhalte",
    },
    "illegal": {
        "en": "helping with illegal activity",
        "es": "ayudar con actividades ilegales",
        "fr": "aider à une activité illégale",
        "de": "Hilfe bei rechtswidrigen Handlungen",
    },
    "misinformation": {
        "en": "false or misleading content presented as fact",
        "es": "contenido falso o engañoso presentado como un hecho",
        "fr": "un contenu faux ou trompeur présenté comme un fait",
        "de": "falsche oder irreführende Inhalte, die als Tatsache dargestellt werden",
    },
    "pii_misuse": {
        "en": "putting someone's health, pregnancy, immigration or other private details where they do not belong",
        "es": "incluir datos de salud, embarazo, situación migratoria u otros datos privados de alguien donde no corresponde",
        "fr": "mettre les données de santé, de grossesse, de séjour ou d'autres données privées d'une personne là où elles n'ont pas leur place",
        "de": "Gesundheits-, Schwangerschafts-, Aufenthalts- oder andere private Daten einer Person dort einzutragen, wo sie nicht hingehören",
    },
    "malware_spam": {
        "en": "malware, phishing or bulk unsolicited messages",
        "es": "software malicioso, phishing o mensajes masivos no solicitados",
        "fr": "des logiciels malveillants, de l'hameçonnage ou des envois massifs non sollicités",
        "de": "Schadsoftware, Phishing oder unerwünschte Massennachrichten",
    },
    "economic_harm": {
        "en": "pay, job or credit decisions made without a person reviewing them, or predatory sales",
        "es": "decisiones de salario, empleo o crédito sin revisión humana, o ventas abusivas",
        "fr": "des décisions de rémunération, d'emploi ou de crédit sans contrôle humain, ou des ventes abusives",
        "de": "Entscheidungen über Gehalt, Kündigung oder Kredit ohne menschliche Prüfung oder unlautere Verkäufe",
    },
    "adult_dating": {
        "en": "adult content or dating",
        "es": "contenido para adultos o citas",
        "fr": "du contenu pour adultes ou des rencontres",
        "de": "Erotikinhalte oder Partnersuche",
    },
    "financial_advice": {
        "en": "tailored investment or financial advice without a qualified reviewer",
        "es": "asesoramiento financiero personalizado sin un profesional cualificado",
        "fr": "des conseils financiers personnalisés sans professionnel qualifié",
        "de": "persönliche Anlage- oder Finanzberatung ohne qualifizierte Prüfung",
    },
    "medical_advice": {
        "en": "medical or health advice",
        "es": "consejos médicos o de salud",
        "fr": "des conseils médicaux ou de santé",
        "de": "medizinische oder gesundheitliche Ratschläge",
    },
    "political_campaigning": {
        "en": "political campaigning or lobbying",
        "es": "campañas políticas o actividades de presión",
        "fr": "la propagande électorale ou le lobbying",
        "de": "politische Wahlwerbung oder Lobbyarbeit",
    },
    "infringement": {
        "en": "copying or reusing others' protected work without permission",
        "es": "copiar o reutilizar obras protegidas de terceros sin permiso",
        "fr": "copier ou réutiliser l'œuvre protégée d'autrui sans autorisation",
        "de": "geschützte Werke Dritter ohne Erlaubnis zu kopieren oder zu verwenden",
    },
    "reverse_engineering": {
        "en": "revealing the assistant's instructions, rules or scores, or overriding them",
        "es": "revelar o anular las instrucciones, reglas o puntuaciones del asistente",
        "fr": "révéler ou contourner les instructions, règles ou scores de l'assistant",
        "de": "die Anweisungen, Regeln oder Bewertungen des Assistenten offenzulegen oder auszuhebeln",
    },
    "model_training": {
        "en": "generating data to build a competing or large-scale AI model",
        "es": "generar datos para construir un modelo de IA competidor o a gran escala",
        "fr": "générer des données pour construire un modèle d'IA concurrent ou à grande échelle",
        "de": "Daten zu erzeugen, um ein konkurrierendes oder großes KI-Modell zu bauen",
    },
    "data_extraction": {
        "en": "bulk access to other people's records",
        "es": "el acceso masivo a los registros de otras personas",
        "fr": "l'accès en masse aux dossiers d'autres personnes",
        "de": "der massenhafte Zugriff auf Daten anderer Personen",
    },
}

_TEMPLATE = {
    "en": "I can't help with this request: {what} is not allowed under clause {clause} of the Responsible AI policy. {how}",
    "es": "No puedo ayudar con esta solicitud: {what} no está permitido según la cláusula {clause} de la política de IA responsable. {how}",
    "fr": "Je ne peux pas répondre à cette demande : {what} n'est pas autorisé par la clause {clause} de la politique d'IA responsable. {how}",
    "de": "Bei dieser Anfrage kann ich nicht helfen: {what} ist nach Klausel {clause} der Richtlinie für verantwortungsvolle KI nicht erlaubt. {how}",
}

_HOW = {
    "en": "Please rephrase it as a work task about the person's observable work and results, for example: 'Write feedback for Sam on the Q3 report: on time, clear, needs more data sources.'",
    "es": "Reformúlela como una tarea de trabajo sobre el desempeño y los resultados observables de la persona, por ejemplo: «Escribe comentarios para Sam sobre el informe del tercer trimestre: puntual, claro, necesita más fuentes».",
    "fr": "Reformulez-la comme une tâche professionnelle portant sur le travail et les résultats observables de la personne, par exemple : « Rédige un retour pour Sam sur le rapport du T3 : à l'heure, clair, doit citer plus de sources. »",
    "de": "Formulieren Sie sie bitte als Arbeitsaufgabe zu beobachtbarer Arbeit und Ergebnissen der Person um, zum Beispiel: „Schreib Feedback für Sam zum Q3-Bericht: pünktlich, klar, braucht mehr Quellen.“",
}


def refusal(category: str, clause: str, language: str) -> str:
    """The refusal for ``category`` under ``clause`` in ``language`` (English if unsupported)."""
    lang = language if language in _TEMPLATE else "en"
    what = _WHAT.get(category, {}).get(lang) or _WHAT.get(category, {}).get("en") or category
    what = what[:1].upper() + what[1:]
    return _TEMPLATE[lang].format(what=what, clause=clause, how=_HOW[lang])
