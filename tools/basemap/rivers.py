"""Names for the unnamed GSHHG (WDBII) river lines.

GSHHG carries river geometry with a level but no names. The names below are attached by
proximity: each river has a hand-written list of approximate points along its course
(source to mouth), taken from well-known towns, dams and confluences on it. A GSHHG vertex
takes the name of the nearest such guide line when it lies within that river's tolerance;
the guide lines are never drawn, only the GSHHG geometry is.

Coordinates are (longitude, latitude) in degrees, rounded to ~1 km.
"""

# Rivers whose names are not carried on to neighbouring lines in the second pass
# (prepare.extend_names): the Bahmanshir channel runs beside the Shatt al-Arab.
NO_EXTENSION = {"Shatt al-Arab"}

# name, Arabic name, tolerance in degrees, guide points (source -> mouth)
NAMED_RIVERS = [
    (
        "Tigris",
        "دجلة",
        0.12,
        [
            (39.60, 38.45),  # above Diyarbakir
            (40.23, 37.90),  # Diyarbakir
            (40.66, 37.84),  # Bismil
            (41.42, 37.71),  # Hasankeyf
            (41.95, 37.55),
            (42.19, 37.33),  # Cizre
            (42.38, 37.08),  # Faysh Khabur tripoint
            (42.70, 36.85),  # Mosul Dam lake outlet
            (42.90, 36.58),
            (43.13, 36.34),  # Mosul
            (43.30, 35.99),  # Great Zab confluence
            (43.30, 35.80),  # Qayyarah
            (43.24, 35.50),  # Shirqat
            (43.50, 35.08),  # Little Zab confluence, Fatha
            (43.68, 34.60),  # Tikrit
            (43.88, 34.20),  # Samarra
            (44.22, 34.02),  # east of Balad
            (44.30, 33.85),
            (44.40, 33.67),  # Tarmiyah
            (44.35, 33.50),
            (44.38, 33.32),  # Baghdad
            (44.52, 33.15),  # Diyala confluence
            (44.78, 32.95),
            (45.30, 32.60),
            (45.82, 32.50),  # Kut
            (46.30, 32.45),
            (46.68, 32.46),  # Ali al-Gharbi
            (47.15, 31.84),  # Amarah
            (47.27, 31.51),  # Qal'at Salih
            (47.43, 31.00),  # Qurna, Euphrates confluence
        ],
    ),
    (
        "Euphrates",
        "الفرات",
        0.12,
        [
            (38.75, 38.80),  # Keban dam
            (38.48, 38.23),  # Karakaya dam
            (38.55, 37.90),
            (38.32, 37.48),  # Ataturk dam
            (38.00, 37.20),
            (37.98, 37.03),  # Birecik
            (38.01, 36.82),  # Jarabulus
            (38.18, 36.38),  # Tishrin dam
            (38.10, 36.05),
            (38.55, 35.87),  # Tabqa dam
            (39.01, 35.94),  # Raqqa
            (39.60, 35.75),
            (40.14, 35.33),  # Deir ez-Zor
            (40.45, 35.02),  # Mayadin
            (40.92, 34.45),  # Abu Kamal
            (41.08, 34.38),  # Al-Qa'im
            (41.60, 34.40),
            (41.98, 34.47),  # Anah
            (42.36, 34.14),  # Haditha
            (42.83, 33.64),  # Hit
            (43.30, 33.42),  # Ramadi
            (43.78, 33.35),  # Fallujah
            (44.24, 32.78),  # Musayyib
            (44.22, 32.54),  # Hindiya
            (44.40, 32.03),  # Kufa
            (44.80, 31.80),
            (45.29, 31.31),  # Samawah
            (45.80, 31.10),
            (46.26, 31.05),  # Nasiriyah
            (46.80, 30.95),
            (47.43, 31.00),  # Qurna
        ],
    ),
    (
        "Shatt al-Arab",
        "شط العرب",
        0.10,
        [
            (47.43, 31.00),  # Qurna
            (47.80, 30.55),  # Basra
            (48.17, 30.35),  # Khorramshahr
            (48.52, 29.95),  # mouth at Ras al-Bishah
        ],
    ),
    (
        "Khabur",
        "الخابور",
        0.10,
        [
            (40.07, 36.85),  # Ras al-Ayn
            (40.37, 36.65),  # Tell Tamer
            (40.75, 36.50),  # Hasakah
            (40.73, 36.06),  # Shaddadi
            (40.78, 35.75),  # Markadah
            (40.55, 35.40),
            (40.43, 35.15),  # Busayrah, Euphrates confluence
        ],
    ),
    (
        "Diyala",
        "ديالى",
        0.12,
        [
            (46.20, 35.05),  # Sirwan, upper course
            (45.95, 35.12),
            (45.70, 35.11),  # Darbandikhan dam
            (45.45, 34.85),
            (45.32, 34.63),  # Kalar
            (45.16, 34.27),  # Jalawla
            (44.97, 34.12),  # Hamrin dam
            (44.80, 33.95),
            (44.64, 33.75),  # Baqubah
            (44.55, 33.45),
            (44.52, 33.22),  # Tigris confluence
        ],
    ),
    (
        "Great Zab",
        "الزاب الكبير",
        0.10,
        [
            (43.95, 37.80),
            (43.74, 37.58),  # Hakkari
            (43.70, 37.35),
            (43.85, 37.10),
            (44.10, 36.95),
            (44.27, 36.70),  # Bekhme gorge
            (44.00, 36.45),
            (43.68, 36.27),  # Eski Kalak bridge
            (43.45, 36.05),
            (43.32, 35.99),  # Tigris confluence
        ],
    ),
    (
        "Little Zab",
        "الزاب الصغير",
        0.10,
        [
            (45.15, 36.55),  # upper course near Piranshahr
            (45.48, 36.15),  # Sardasht
            (45.15, 36.00),
            (44.95, 35.95),  # Dukan dam
            (44.59, 35.88),  # Taqtaq
            (44.14, 35.76),  # Altun Kupri
            (43.90, 35.45),
            (43.70, 35.25),  # Zab
            (43.52, 35.12),  # Tigris confluence
        ],
    ),
]
