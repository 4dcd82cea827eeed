#include "crypto/emoji_table.h"

#include <array>
#include <stdexcept>

namespace tgcalls {
namespace {

// Generated once from the spec's Appendix A table (code points -> UTF-8 escapes). The escapes keep
// the source file ASCII, so no compiler or editor can re-encode the bytes. The comment on each
// line gives the index and code points.
constexpr std::array<const char*, kEmojiTableSize> kEmojiTable = {
    "\xF0\x9F\x98\x89",                  // 0 U+1F609
    "\xF0\x9F\x98\x8D",                  // 1 U+1F60D
    "\xF0\x9F\x98\x9B",                  // 2 U+1F61B
    "\xF0\x9F\x98\xAD",                  // 3 U+1F62D
    "\xF0\x9F\x98\xB1",                  // 4 U+1F631
    "\xF0\x9F\x98\xA1",                  // 5 U+1F621
    "\xF0\x9F\x98\x8E",                  // 6 U+1F60E
    "\xF0\x9F\x98\xB4",                  // 7 U+1F634
    "\xF0\x9F\x98\xB5",                  // 8 U+1F635
    "\xF0\x9F\x98\x88",                  // 9 U+1F608
    "\xF0\x9F\x98\xAC",                  // 10 U+1F62C
    "\xF0\x9F\x98\x87",                  // 11 U+1F607
    "\xF0\x9F\x98\x8F",                  // 12 U+1F60F
    "\xF0\x9F\x91\xAE",                  // 13 U+1F46E
    "\xF0\x9F\x91\xB7",                  // 14 U+1F477
    "\xF0\x9F\x92\x82",                  // 15 U+1F482
    "\xF0\x9F\x91\xB6",                  // 16 U+1F476
    "\xF0\x9F\x91\xA8",                  // 17 U+1F468
    "\xF0\x9F\x91\xA9",                  // 18 U+1F469
    "\xF0\x9F\x91\xB4",                  // 19 U+1F474
    "\xF0\x9F\x91\xB5",                  // 20 U+1F475
    "\xF0\x9F\x98\xBB",                  // 21 U+1F63B
    "\xF0\x9F\x98\xBD",                  // 22 U+1F63D
    "\xF0\x9F\x99\x80",                  // 23 U+1F640
    "\xF0\x9F\x91\xBA",                  // 24 U+1F47A
    "\xF0\x9F\x99\x88",                  // 25 U+1F648
    "\xF0\x9F\x99\x89",                  // 26 U+1F649
    "\xF0\x9F\x99\x8A",                  // 27 U+1F64A
    "\xF0\x9F\x92\x80",                  // 28 U+1F480
    "\xF0\x9F\x91\xBD",                  // 29 U+1F47D
    "\xF0\x9F\x92\xA9",                  // 30 U+1F4A9
    "\xF0\x9F\x94\xA5",                  // 31 U+1F525
    "\xF0\x9F\x92\xA5",                  // 32 U+1F4A5
    "\xF0\x9F\x92\xA4",                  // 33 U+1F4A4
    "\xF0\x9F\x91\x82",                  // 34 U+1F442
    "\xF0\x9F\x91\x80",                  // 35 U+1F440
    "\xF0\x9F\x91\x83",                  // 36 U+1F443
    "\xF0\x9F\x91\x85",                  // 37 U+1F445
    "\xF0\x9F\x91\x84",                  // 38 U+1F444
    "\xF0\x9F\x91\x8D",                  // 39 U+1F44D
    "\xF0\x9F\x91\x8E",                  // 40 U+1F44E
    "\xF0\x9F\x91\x8C",                  // 41 U+1F44C
    "\xF0\x9F\x91\x8A",                  // 42 U+1F44A
    "\xE2\x9C\x8C",                      // 43 U+270C
    "\xE2\x9C\x8B",                      // 44 U+270B
    "\xF0\x9F\x91\x90",                  // 45 U+1F450
    "\xF0\x9F\x91\x86",                  // 46 U+1F446
    "\xF0\x9F\x91\x87",                  // 47 U+1F447
    "\xF0\x9F\x91\x89",                  // 48 U+1F449
    "\xF0\x9F\x91\x88",                  // 49 U+1F448
    "\xF0\x9F\x99\x8F",                  // 50 U+1F64F
    "\xF0\x9F\x91\x8F",                  // 51 U+1F44F
    "\xF0\x9F\x92\xAA",                  // 52 U+1F4AA
    "\xF0\x9F\x9A\xB6",                  // 53 U+1F6B6
    "\xF0\x9F\x8F\x83",                  // 54 U+1F3C3
    "\xF0\x9F\x92\x83",                  // 55 U+1F483
    "\xF0\x9F\x91\xAB",                  // 56 U+1F46B
    "\xF0\x9F\x91\xAA",                  // 57 U+1F46A
    "\xF0\x9F\x91\xAC",                  // 58 U+1F46C
    "\xF0\x9F\x91\xAD",                  // 59 U+1F46D
    "\xF0\x9F\x92\x85",                  // 60 U+1F485
    "\xF0\x9F\x8E\xA9",                  // 61 U+1F3A9
    "\xF0\x9F\x91\x91",                  // 62 U+1F451
    "\xF0\x9F\x91\x92",                  // 63 U+1F452
    "\xF0\x9F\x91\x9F",                  // 64 U+1F45F
    "\xF0\x9F\x91\x9E",                  // 65 U+1F45E
    "\xF0\x9F\x91\xA0",                  // 66 U+1F460
    "\xF0\x9F\x91\x95",                  // 67 U+1F455
    "\xF0\x9F\x91\x97",                  // 68 U+1F457
    "\xF0\x9F\x91\x96",                  // 69 U+1F456
    "\xF0\x9F\x91\x99",                  // 70 U+1F459
    "\xF0\x9F\x91\x9C",                  // 71 U+1F45C
    "\xF0\x9F\x91\x93",                  // 72 U+1F453
    "\xF0\x9F\x8E\x80",                  // 73 U+1F380
    "\xF0\x9F\x92\x84",                  // 74 U+1F484
    "\xF0\x9F\x92\x9B",                  // 75 U+1F49B
    "\xF0\x9F\x92\x99",                  // 76 U+1F499
    "\xF0\x9F\x92\x9C",                  // 77 U+1F49C
    "\xF0\x9F\x92\x9A",                  // 78 U+1F49A
    "\xF0\x9F\x92\x8D",                  // 79 U+1F48D
    "\xF0\x9F\x92\x8E",                  // 80 U+1F48E
    "\xF0\x9F\x90\xB6",                  // 81 U+1F436
    "\xF0\x9F\x90\xBA",                  // 82 U+1F43A
    "\xF0\x9F\x90\xB1",                  // 83 U+1F431
    "\xF0\x9F\x90\xAD",                  // 84 U+1F42D
    "\xF0\x9F\x90\xB9",                  // 85 U+1F439
    "\xF0\x9F\x90\xB0",                  // 86 U+1F430
    "\xF0\x9F\x90\xB8",                  // 87 U+1F438
    "\xF0\x9F\x90\xAF",                  // 88 U+1F42F
    "\xF0\x9F\x90\xA8",                  // 89 U+1F428
    "\xF0\x9F\x90\xBB",                  // 90 U+1F43B
    "\xF0\x9F\x90\xB7",                  // 91 U+1F437
    "\xF0\x9F\x90\xAE",                  // 92 U+1F42E
    "\xF0\x9F\x90\x97",                  // 93 U+1F417
    "\xF0\x9F\x90\xB4",                  // 94 U+1F434
    "\xF0\x9F\x90\x91",                  // 95 U+1F411
    "\xF0\x9F\x90\x98",                  // 96 U+1F418
    "\xF0\x9F\x90\xBC",                  // 97 U+1F43C
    "\xF0\x9F\x90\xA7",                  // 98 U+1F427
    "\xF0\x9F\x90\xA5",                  // 99 U+1F425
    "\xF0\x9F\x90\x94",                  // 100 U+1F414
    "\xF0\x9F\x90\x8D",                  // 101 U+1F40D
    "\xF0\x9F\x90\xA2",                  // 102 U+1F422
    "\xF0\x9F\x90\x9B",                  // 103 U+1F41B
    "\xF0\x9F\x90\x9D",                  // 104 U+1F41D
    "\xF0\x9F\x90\x9C",                  // 105 U+1F41C
    "\xF0\x9F\x90\x9E",                  // 106 U+1F41E
    "\xF0\x9F\x90\x8C",                  // 107 U+1F40C
    "\xF0\x9F\x90\x99",                  // 108 U+1F419
    "\xF0\x9F\x90\x9A",                  // 109 U+1F41A
    "\xF0\x9F\x90\x9F",                  // 110 U+1F41F
    "\xF0\x9F\x90\xAC",                  // 111 U+1F42C
    "\xF0\x9F\x90\x8B",                  // 112 U+1F40B
    "\xF0\x9F\x90\x90",                  // 113 U+1F410
    "\xF0\x9F\x90\x8A",                  // 114 U+1F40A
    "\xF0\x9F\x90\xAB",                  // 115 U+1F42B
    "\xF0\x9F\x8D\x80",                  // 116 U+1F340
    "\xF0\x9F\x8C\xB9",                  // 117 U+1F339
    "\xF0\x9F\x8C\xBB",                  // 118 U+1F33B
    "\xF0\x9F\x8D\x81",                  // 119 U+1F341
    "\xF0\x9F\x8C\xBE",                  // 120 U+1F33E
    "\xF0\x9F\x8D\x84",                  // 121 U+1F344
    "\xF0\x9F\x8C\xB5",                  // 122 U+1F335
    "\xF0\x9F\x8C\xB4",                  // 123 U+1F334
    "\xF0\x9F\x8C\xB3",                  // 124 U+1F333
    "\xF0\x9F\x8C\x9E",                  // 125 U+1F31E
    "\xF0\x9F\x8C\x9A",                  // 126 U+1F31A
    "\xF0\x9F\x8C\x99",                  // 127 U+1F319
    "\xF0\x9F\x8C\x8E",                  // 128 U+1F30E
    "\xF0\x9F\x8C\x8B",                  // 129 U+1F30B
    "\xE2\x9A\xA1",                      // 130 U+26A1
    "\xE2\x98\x94",                      // 131 U+2614
    "\xE2\x9D\x84",                      // 132 U+2744
    "\xE2\x9B\x84",                      // 133 U+26C4
    "\xF0\x9F\x8C\x80",                  // 134 U+1F300
    "\xF0\x9F\x8C\x88",                  // 135 U+1F308
    "\xF0\x9F\x8C\x8A",                  // 136 U+1F30A
    "\xF0\x9F\x8E\x93",                  // 137 U+1F393
    "\xF0\x9F\x8E\x86",                  // 138 U+1F386
    "\xF0\x9F\x8E\x83",                  // 139 U+1F383
    "\xF0\x9F\x91\xBB",                  // 140 U+1F47B
    "\xF0\x9F\x8E\x85",                  // 141 U+1F385
    "\xF0\x9F\x8E\x84",                  // 142 U+1F384
    "\xF0\x9F\x8E\x81",                  // 143 U+1F381
    "\xF0\x9F\x8E\x88",                  // 144 U+1F388
    "\xF0\x9F\x94\xAE",                  // 145 U+1F52E
    "\xF0\x9F\x8E\xA5",                  // 146 U+1F3A5
    "\xF0\x9F\x93\xB7",                  // 147 U+1F4F7
    "\xF0\x9F\x92\xBF",                  // 148 U+1F4BF
    "\xF0\x9F\x92\xBB",                  // 149 U+1F4BB
    "\xE2\x98\x8E",                      // 150 U+260E
    "\xF0\x9F\x93\xA1",                  // 151 U+1F4E1
    "\xF0\x9F\x93\xBA",                  // 152 U+1F4FA
    "\xF0\x9F\x93\xBB",                  // 153 U+1F4FB
    "\xF0\x9F\x94\x89",                  // 154 U+1F509
    "\xF0\x9F\x94\x94",                  // 155 U+1F514
    "\xE2\x8F\xB3",                      // 156 U+23F3
    "\xE2\x8F\xB0",                      // 157 U+23F0
    "\xE2\x8C\x9A",                      // 158 U+231A
    "\xF0\x9F\x94\x92",                  // 159 U+1F512
    "\xF0\x9F\x94\x91",                  // 160 U+1F511
    "\xF0\x9F\x94\x8E",                  // 161 U+1F50E
    "\xF0\x9F\x92\xA1",                  // 162 U+1F4A1
    "\xF0\x9F\x94\xA6",                  // 163 U+1F526
    "\xF0\x9F\x94\x8C",                  // 164 U+1F50C
    "\xF0\x9F\x94\x8B",                  // 165 U+1F50B
    "\xF0\x9F\x9A\xBF",                  // 166 U+1F6BF
    "\xF0\x9F\x9A\xBD",                  // 167 U+1F6BD
    "\xF0\x9F\x94\xA7",                  // 168 U+1F527
    "\xF0\x9F\x94\xA8",                  // 169 U+1F528
    "\xF0\x9F\x9A\xAA",                  // 170 U+1F6AA
    "\xF0\x9F\x9A\xAC",                  // 171 U+1F6AC
    "\xF0\x9F\x92\xA3",                  // 172 U+1F4A3
    "\xF0\x9F\x94\xAB",                  // 173 U+1F52B
    "\xF0\x9F\x94\xAA",                  // 174 U+1F52A
    "\xF0\x9F\x92\x8A",                  // 175 U+1F48A
    "\xF0\x9F\x92\x89",                  // 176 U+1F489
    "\xF0\x9F\x92\xB0",                  // 177 U+1F4B0
    "\xF0\x9F\x92\xB5",                  // 178 U+1F4B5
    "\xF0\x9F\x92\xB3",                  // 179 U+1F4B3
    "\xE2\x9C\x89",                      // 180 U+2709
    "\xF0\x9F\x93\xAB",                  // 181 U+1F4EB
    "\xF0\x9F\x93\xA6",                  // 182 U+1F4E6
    "\xF0\x9F\x93\x85",                  // 183 U+1F4C5
    "\xF0\x9F\x93\x81",                  // 184 U+1F4C1
    "\xE2\x9C\x82",                      // 185 U+2702
    "\xF0\x9F\x93\x8C",                  // 186 U+1F4CC
    "\xF0\x9F\x93\x8E",                  // 187 U+1F4CE
    "\xE2\x9C\x92",                      // 188 U+2712
    "\xE2\x9C\x8F",                      // 189 U+270F
    "\xF0\x9F\x93\x90",                  // 190 U+1F4D0
    "\xF0\x9F\x93\x9A",                  // 191 U+1F4DA
    "\xF0\x9F\x94\xAC",                  // 192 U+1F52C
    "\xF0\x9F\x94\xAD",                  // 193 U+1F52D
    "\xF0\x9F\x8E\xA8",                  // 194 U+1F3A8
    "\xF0\x9F\x8E\xAC",                  // 195 U+1F3AC
    "\xF0\x9F\x8E\xA4",                  // 196 U+1F3A4
    "\xF0\x9F\x8E\xA7",                  // 197 U+1F3A7
    "\xF0\x9F\x8E\xB5",                  // 198 U+1F3B5
    "\xF0\x9F\x8E\xB9",                  // 199 U+1F3B9
    "\xF0\x9F\x8E\xBB",                  // 200 U+1F3BB
    "\xF0\x9F\x8E\xBA",                  // 201 U+1F3BA
    "\xF0\x9F\x8E\xB8",                  // 202 U+1F3B8
    "\xF0\x9F\x91\xBE",                  // 203 U+1F47E
    "\xF0\x9F\x8E\xAE",                  // 204 U+1F3AE
    "\xF0\x9F\x83\x8F",                  // 205 U+1F0CF
    "\xF0\x9F\x8E\xB2",                  // 206 U+1F3B2
    "\xF0\x9F\x8E\xAF",                  // 207 U+1F3AF
    "\xF0\x9F\x8F\x88",                  // 208 U+1F3C8
    "\xF0\x9F\x8F\x80",                  // 209 U+1F3C0
    "\xE2\x9A\xBD",                      // 210 U+26BD
    "\xE2\x9A\xBE",                      // 211 U+26BE
    "\xF0\x9F\x8E\xBE",                  // 212 U+1F3BE
    "\xF0\x9F\x8E\xB1",                  // 213 U+1F3B1
    "\xF0\x9F\x8F\x89",                  // 214 U+1F3C9
    "\xF0\x9F\x8E\xB3",                  // 215 U+1F3B3
    "\xF0\x9F\x8F\x81",                  // 216 U+1F3C1
    "\xF0\x9F\x8F\x87",                  // 217 U+1F3C7
    "\xF0\x9F\x8F\x86",                  // 218 U+1F3C6
    "\xF0\x9F\x8F\x8A",                  // 219 U+1F3CA
    "\xF0\x9F\x8F\x84",                  // 220 U+1F3C4
    "\xE2\x98\x95",                      // 221 U+2615
    "\xF0\x9F\x8D\xBC",                  // 222 U+1F37C
    "\xF0\x9F\x8D\xBA",                  // 223 U+1F37A
    "\xF0\x9F\x8D\xB7",                  // 224 U+1F377
    "\xF0\x9F\x8D\xB4",                  // 225 U+1F374
    "\xF0\x9F\x8D\x95",                  // 226 U+1F355
    "\xF0\x9F\x8D\x94",                  // 227 U+1F354
    "\xF0\x9F\x8D\x9F",                  // 228 U+1F35F
    "\xF0\x9F\x8D\x97",                  // 229 U+1F357
    "\xF0\x9F\x8D\xB1",                  // 230 U+1F371
    "\xF0\x9F\x8D\x9A",                  // 231 U+1F35A
    "\xF0\x9F\x8D\x9C",                  // 232 U+1F35C
    "\xF0\x9F\x8D\xA1",                  // 233 U+1F361
    "\xF0\x9F\x8D\xB3",                  // 234 U+1F373
    "\xF0\x9F\x8D\x9E",                  // 235 U+1F35E
    "\xF0\x9F\x8D\xA9",                  // 236 U+1F369
    "\xF0\x9F\x8D\xA6",                  // 237 U+1F366
    "\xF0\x9F\x8E\x82",                  // 238 U+1F382
    "\xF0\x9F\x8D\xB0",                  // 239 U+1F370
    "\xF0\x9F\x8D\xAA",                  // 240 U+1F36A
    "\xF0\x9F\x8D\xAB",                  // 241 U+1F36B
    "\xF0\x9F\x8D\xAD",                  // 242 U+1F36D
    "\xF0\x9F\x8D\xAF",                  // 243 U+1F36F
    "\xF0\x9F\x8D\x8E",                  // 244 U+1F34E
    "\xF0\x9F\x8D\x8F",                  // 245 U+1F34F
    "\xF0\x9F\x8D\x8A",                  // 246 U+1F34A
    "\xF0\x9F\x8D\x8B",                  // 247 U+1F34B
    "\xF0\x9F\x8D\x92",                  // 248 U+1F352
    "\xF0\x9F\x8D\x87",                  // 249 U+1F347
    "\xF0\x9F\x8D\x89",                  // 250 U+1F349
    "\xF0\x9F\x8D\x93",                  // 251 U+1F353
    "\xF0\x9F\x8D\x91",                  // 252 U+1F351
    "\xF0\x9F\x8D\x8C",                  // 253 U+1F34C
    "\xF0\x9F\x8D\x90",                  // 254 U+1F350
    "\xF0\x9F\x8D\x8D",                  // 255 U+1F34D
    "\xF0\x9F\x8D\x86",                  // 256 U+1F346
    "\xF0\x9F\x8D\x85",                  // 257 U+1F345
    "\xF0\x9F\x8C\xBD",                  // 258 U+1F33D
    "\xF0\x9F\x8F\xA1",                  // 259 U+1F3E1
    "\xF0\x9F\x8F\xA5",                  // 260 U+1F3E5
    "\xF0\x9F\x8F\xA6",                  // 261 U+1F3E6
    "\xE2\x9B\xAA",                      // 262 U+26EA
    "\xF0\x9F\x8F\xB0",                  // 263 U+1F3F0
    "\xE2\x9B\xBA",                      // 264 U+26FA
    "\xF0\x9F\x8F\xAD",                  // 265 U+1F3ED
    "\xF0\x9F\x97\xBB",                  // 266 U+1F5FB
    "\xF0\x9F\x97\xBD",                  // 267 U+1F5FD
    "\xF0\x9F\x8E\xA0",                  // 268 U+1F3A0
    "\xF0\x9F\x8E\xA1",                  // 269 U+1F3A1
    "\xE2\x9B\xB2",                      // 270 U+26F2
    "\xF0\x9F\x8E\xA2",                  // 271 U+1F3A2
    "\xF0\x9F\x9A\xA2",                  // 272 U+1F6A2
    "\xF0\x9F\x9A\xA4",                  // 273 U+1F6A4
    "\xE2\x9A\x93",                      // 274 U+2693
    "\xF0\x9F\x9A\x80",                  // 275 U+1F680
    "\xE2\x9C\x88",                      // 276 U+2708
    "\xF0\x9F\x9A\x81",                  // 277 U+1F681
    "\xF0\x9F\x9A\x82",                  // 278 U+1F682
    "\xF0\x9F\x9A\x8B",                  // 279 U+1F68B
    "\xF0\x9F\x9A\x8E",                  // 280 U+1F68E
    "\xF0\x9F\x9A\x8C",                  // 281 U+1F68C
    "\xF0\x9F\x9A\x99",                  // 282 U+1F699
    "\xF0\x9F\x9A\x97",                  // 283 U+1F697
    "\xF0\x9F\x9A\x95",                  // 284 U+1F695
    "\xF0\x9F\x9A\x9B",                  // 285 U+1F69B
    "\xF0\x9F\x9A\xA8",                  // 286 U+1F6A8
    "\xF0\x9F\x9A\x94",                  // 287 U+1F694
    "\xF0\x9F\x9A\x92",                  // 288 U+1F692
    "\xF0\x9F\x9A\x91",                  // 289 U+1F691
    "\xF0\x9F\x9A\xB2",                  // 290 U+1F6B2
    "\xF0\x9F\x9A\xA0",                  // 291 U+1F6A0
    "\xF0\x9F\x9A\x9C",                  // 292 U+1F69C
    "\xF0\x9F\x9A\xA6",                  // 293 U+1F6A6
    "\xE2\x9A\xA0",                      // 294 U+26A0
    "\xF0\x9F\x9A\xA7",                  // 295 U+1F6A7
    "\xE2\x9B\xBD",                      // 296 U+26FD
    "\xF0\x9F\x8E\xB0",                  // 297 U+1F3B0
    "\xF0\x9F\x97\xBF",                  // 298 U+1F5FF
    "\xF0\x9F\x8E\xAA",                  // 299 U+1F3AA
    "\xF0\x9F\x8E\xAD",                  // 300 U+1F3AD
    "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5",  // 301 U+1F1EF U+1F1F5
    "\xF0\x9F\x87\xB0\xF0\x9F\x87\xB7",  // 302 U+1F1F0 U+1F1F7
    "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA",  // 303 U+1F1E9 U+1F1EA
    "\xF0\x9F\x87\xA8\xF0\x9F\x87\xB3",  // 304 U+1F1E8 U+1F1F3
    "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8",  // 305 U+1F1FA U+1F1F8
    "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7",  // 306 U+1F1EB U+1F1F7
    "\xF0\x9F\x87\xAA\xF0\x9F\x87\xB8",  // 307 U+1F1EA U+1F1F8
    "\xF0\x9F\x87\xAE\xF0\x9F\x87\xB9",  // 308 U+1F1EE U+1F1F9
    "\xF0\x9F\x87\xB7\xF0\x9F\x87\xBA",  // 309 U+1F1F7 U+1F1FA
    "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7",  // 310 U+1F1EC U+1F1E7
    "\x31\xE2\x83\xA3",                  // 311 U+0031 U+20E3
    "\x32\xE2\x83\xA3",                  // 312 U+0032 U+20E3
    "\x33\xE2\x83\xA3",                  // 313 U+0033 U+20E3
    "\x34\xE2\x83\xA3",                  // 314 U+0034 U+20E3
    "\x35\xE2\x83\xA3",                  // 315 U+0035 U+20E3
    "\x36\xE2\x83\xA3",                  // 316 U+0036 U+20E3
    "\x37\xE2\x83\xA3",                  // 317 U+0037 U+20E3
    "\x38\xE2\x83\xA3",                  // 318 U+0038 U+20E3
    "\x39\xE2\x83\xA3",                  // 319 U+0039 U+20E3
    "\x30\xE2\x83\xA3",                  // 320 U+0030 U+20E3
    "\xF0\x9F\x94\x9F",                  // 321 U+1F51F
    "\xE2\x9D\x97",                      // 322 U+2757
    "\xE2\x9D\x93",                      // 323 U+2753
    "\xE2\x99\xA5",                      // 324 U+2665
    "\xE2\x99\xA6",                      // 325 U+2666
    "\xF0\x9F\x92\xAF",                  // 326 U+1F4AF
    "\xF0\x9F\x94\x97",                  // 327 U+1F517
    "\xF0\x9F\x94\xB1",                  // 328 U+1F531
    "\xF0\x9F\x94\xB4",                  // 329 U+1F534
    "\xF0\x9F\x94\xB5",                  // 330 U+1F535
    "\xF0\x9F\x94\xB6",                  // 331 U+1F536
    "\xF0\x9F\x94\xB7",                  // 332 U+1F537
};

}  // namespace

std::string_view emojiAt(std::size_t index) {
  if (index >= kEmojiTable.size()) throw std::out_of_range("emoji index out of range");
  return kEmojiTable[index];
}

}  // namespace tgcalls
