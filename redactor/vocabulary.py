"""The words of titles and of diplomatic office shorthand: shared by the name layers, which
read a capitalised word after a title as a name, and by the decide stage, which compares
allow-listed names with and without the titles in front of them."""

from __future__ import annotations

TITLES = (
    "Ambassador", "Amb", "Minister", "President", "Vice President", "Secretary", "Senator",
    "Governor", "Mayor", "Judge", "Justice", "General", "Gen", "Admiral", "Adm", "Colonel",
    "Col", "Major", "Maj", "Captain", "Capt", "Lieutenant", "Lt", "Sergeant", "Sgt",
    "Commander", "Cdr", "Sheikh", "Sheik", "Prince", "Princess", "King", "Queen", "Emir",
    "Archbishop", "Bishop", "Cardinal", "Father", "Rabbi", "Imam", "Professor", "Prof",
    "Dr", "Mr", "Mrs", "Ms", "Miss", "Sir", "Dame", "Lord", "Lady", "Chairman", "Chairwoman",
    "Congressman", "Congresswoman", "Representative", "Rep", "Sen", "Deputy", "Director",
    "Commissioner", "Chancellor", "Premier", "Speaker", "Prosecutor", "Attorney General",
    "A/S", "DAS", "U/S", "PDAS", "Charge", "DCM", "Econoff", "Poloff", "Consul", "Consul General",
    # the shorthand cables write for ministers, envoys and officers, and corporate titles
    "FM", "DFM", "VFM", "PM", "DPM", "FonMin", "DefMin", "IntMin", "FinMin", "PermRep",
    "DepPermRep", "SYG", "SecGen", "DSYG", "SRSG", "Envoy", "Special Envoy", "Spokesman",
    "Spokeswoman", "Spokesperson", "Treasurer", "CEO", "CFO", "COO", "MP", "MEP", "Pres",
    "Chair", "Chairperson", "Councillor", "Councilman", "Alderman", "Magistrate", "Inspector",
    "Superintendent", "Brigadier", "Brig", "Comdr", "Reverend", "Rev", "Pastor", "Monsignor",
    "Msgr", "Patriarch", "Ayatollah", "Mullah", "Sultan", "Crown Prince", "Sra", "Senora",
    "Senor", "COL", "LTC", "MAJ", "CPT", "GEN", "LTG", "MG", "BG", "ADM", "VADM", "RADM", "CDR",
    "LCDR", "SGT",
)
# Diplomatic shorthand for offices and roles, which the model takes for names: `Poloff gave
# the Ministry…`, `SecDef's arguments`. Casefolded; a plural `s` is also covered.
OFFICE_WORDS = frozenset({
    "poloff", "econoff", "emboff", "conoff", "laboff", "msnoff", "mgmtoff", "deptoff",
    "polmiloff", "poleconoff", "congenoff", "polcouns", "polcounselor", "econcouns",
    "mincouns", "polmincouns", "polchief", "econchief", "poldir", "secdef", "secstate",
    "secgen", "defmin", "fonmin", "congen", "permrep", "amcit", "amcham", "chod", "datt",
    "amb", "charge", "cda", "dcm", "rso", "pao", "refcoord", "ambassador", "ambassadors",
    "staffdel", "codel", "cdel", "polcons", "polmincons", "econcons", "econmincons", "asyg",
    "dsyg", "polmilcouns", "polmiloffs", "depsec", "asec", "econcounselor", "mgmtcouns",
})
