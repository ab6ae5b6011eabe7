"""Build-time data: abbreviations of living zones that tzdata and CLDR no longer write.

tzdata release 2017a and the ones after it replaced the abbreviations the tz database had
invented for many zones with numeric ones (`ICT` became `+07`), and CLDR's English names most of
them without a short form, so neither source has them any more; yet people still type them, and
`ICT` read as Wichita's airport code is a wrong zone. Each entry is one tzdata used for the zone
before 2017a (and Wikipedia's "List of time zone abbreviations" lists): only added where no
current CLDR or tzdata reading of the abbreviation exists (places/abbreviations.build_rows), with
the zone's current standard UTC offset from the pinned tzdata; they count as in use today, so
they beat a historic reading (`NPT` was also Newfoundland Peace Time, 1942-1945) and an airport
code (places/codes.py reads abbreviations first).
"""

from __future__ import annotations

SOURCE = "tzdata before 2017a; Wikipedia, List of time zone abbreviations"

FORMER: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ICT", "Indochina Time", ("Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Phnom_Penh")),
    ("PHT", "Philippine Time", ("Asia/Manila",)),
    ("AFT", "Afghanistan Time", ("Asia/Kabul",)),
    ("NPT", "Nepal Time", ("Asia/Kathmandu",)),
    ("BDT", "Bangladesh Time", ("Asia/Dhaka",)),
    ("IRST", "Iran Standard Time", ("Asia/Tehran",)),
    ("MMT", "Myanmar Time", ("Asia/Yangon",)),
    ("BTT", "Bhutan Time", ("Asia/Thimphu",)),
    ("MVT", "Maldives Time", ("Indian/Maldives",)),
    ("UZT", "Uzbekistan Time", ("Asia/Tashkent", "Asia/Samarkand")),
    ("TJT", "Tajikistan Time", ("Asia/Dushanbe",)),
    ("TMT", "Turkmenistan Time", ("Asia/Ashgabat",)),
    ("KGT", "Kyrgyzstan Time", ("Asia/Bishkek",)),
    ("AZT", "Azerbaijan Time", ("Asia/Baku",)),
    ("GET", "Georgia Time", ("Asia/Tbilisi",)),
    ("SGT", "Singapore Time", ("Asia/Singapore",)),
    ("MYT", "Malaysia Time", ("Asia/Kuala_Lumpur",)),
    ("BNT", "Brunei Time", ("Asia/Brunei",)),
    ("ULAT", "Ulaanbaatar Time", ("Asia/Ulaanbaatar",)),
    ("TLT", "East Timor Time", ("Asia/Dili",)),
    ("ART", "Argentina Time", ("America/Argentina/Buenos_Aires",)),
    ("BRT", "Brasília Time", ("America/Sao_Paulo",)),
    ("COT", "Colombia Time", ("America/Bogota",)),
    ("PET", "Peru Time", ("America/Lima",)),
    ("VET", "Venezuela Time", ("America/Caracas",)),
    ("ECT", "Ecuador Time", ("America/Guayaquil",)),
    ("BOT", "Bolivia Time", ("America/La_Paz",)),
    ("UYT", "Uruguay Time", ("America/Montevideo",)),
    ("PYT", "Paraguay Time", ("America/Asuncion",)),
    ("GFT", "French Guiana Time", ("America/Cayenne",)),
    ("SRT", "Suriname Time", ("America/Paramaribo",)),
    ("GYT", "Guyana Time", ("America/Guyana",)),
    ("FJT", "Fiji Time", ("Pacific/Fiji",)),
    ("TOT", "Tonga Time", ("Pacific/Tongatapu",)),
    ("MUT", "Mauritius Time", ("Indian/Mauritius",)),
    ("SCT", "Seychelles Time", ("Indian/Mahe",)),
    ("RET", "Réunion Time", ("Indian/Reunion",)),
    ("GALT", "Galápagos Time", ("Pacific/Galapagos",)),
)
"""(abbreviation, English name, the zones that used it), checked against the pinned tzdata."""
