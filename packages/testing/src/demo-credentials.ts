/**
 * Demo credentials: used by the local simulator, the example shop's non-production defaults and the
 * tests. They are published test values and protect nothing — never use them for a real shop.
 * The RSA pairs are the test keys of the shared signature vectors (test/vectors/keys).
 */
export const demoCredentials = {
  douyin: {
    appId: 'tt_demo_app_0001',
    salt: 'demo_payment_salt_do_not_use',
    token: 'demo_callback_token_do_not_use',
    keyVersion: '1',
    /** The developer's RSA-2048 key pair (the public half is "uploaded" to the simulator). */
    appPrivateKey: `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCxPzI08iiniB2R
n2su1LeBjkX3sc3l91mj3I/J/DhCxgdi6cMVuqPWQHFZBEsCKgJojs7EBxGONS8j
/R1HFYzTKvHCoxgAEQBk6Sa9rGEBGXeOYwvybbdOZdrBRY6l4QgnL4C3ItgDoxs0
sc/MxRgFvcu/P4KyLetEeB5TtoPZVC3QZVzHjgBZBVlu0qqq6rchQnpioydRJnvS
zNZgkeC+zPhSMdo1WbTb+xeryXlhqSJqfJxhCymYOVXjj7KlrVdyZGVpaFdEpX7M
1uCm0khQq9FR9CX0etle6MceKaUAbsuxTBQzelABMf0zLH0B1rBldaovxZAOAQI5
2oIvCItfAgMBAAECggEAMydL9B/XP9J2xio+IrvdYhSPeNbl13K1eicTkHWsPwkr
5I4WcVT2J8VdcRVeGHfLTiW44rYviN0sh7RrGLLNe7wvHb84E/zUIktvlNoE/O4+
pOdM8WBcwNGAerr6WkFBux1ohnIV6abPGTwf/rb7Id0Oylkn/Qhnl9Ea34oTL0sz
F7bpkiL6m/CiK5tCXiKQgYYVUOn6s+rwO64Q2px9BvIItV7HlVi5IUR+cwpo56Qb
Te/AfqTauj66mziAG7iPR83BfAnBzOILFEtiuT/XoUte0SLt7zziURuxBFn6yz/+
2ki1y2airBqdEwB9nkiINuIvm4WZ6Dq5kRDOMhlZUQKBgQDaYIlt9+VY7CTjsgm7
kYfyJJffI9EEh0awTpnKuukJI5w7bSwRTVNmwWx+mvuDhq9hDHZdaPR2+GA6gwwA
RxTTYAL/d3SF/uGTgftQmBWDkjFA4Kcs5X/IjgdKc4z94YFnNyI/va7gqKXUO+Ve
d9PAk16aKac5xSS0Y9Plhx4z1QKBgQDPyJ8JBxcrmFx+IDhofSAyKJ62HL/XgjKu
U6HH/YKf2ZJ3AhpDiADpZ2LwIPQhMY76l6tCGpWjEkemHGRAKJv+juNQ9//PxmdQ
QjBi0K9+DJbFAWWsVxV3AUEtZ7xc/J57e5qhDYrtKCEOOeAqAZqvE890wUNuN3kf
afwearCAYwKBgDTXOyni3BoiOeLmx7gdRNnwxNb3obII0bADtO77Pzw446r1hb5C
CbZJg2k3MzjmNDW1gEamCNFo1FAUOakvifiDuPX7/7QUspywzRD5W+tUSpq6QXl5
puvughEf2LPuBxPkoWLvEQvHgyjRvXSYZiKpBjEjdxVhgLotla5qfYJpAoGBAK+F
WJqmq7L+7Lr6eswBTu4wFAngdUoWSLusGBC5nNttTmVLmGYNgD+qPxB7td5IX/Bd
qKSZkmgDbBTtDN6Jr2S0zV87b5PTlLhegUMn5+cBuWbHzFxt38r8e1NguuSN3U6Q
VknQB9hYOrwqtaqmWkWk5W1KSKzVHXMk8326QEjjAoGAb38WO8wCO+tE8o62PdwN
fg0uwhf6+LNWNoiFOxvRp1eaUXrchFX5v8i8q7/sukhxmpEBSragLxgyjHZ6g5iQ
GMNSYUfhz7lTqF+0Yti70snasfJdTdLswNwuKXLTHN4Pf8UEhqmXzFnqvW7JLuIo
9oyTx+mPw5jAsXeYtMOx2Hw=
-----END PRIVATE KEY-----
`,
    appPublicKey: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsT8yNPIop4gdkZ9rLtS3
gY5F97HN5fdZo9yPyfw4QsYHYunDFbqj1kBxWQRLAioCaI7OxAcRjjUvI/0dRxWM
0yrxwqMYABEAZOkmvaxhARl3jmML8m23TmXawUWOpeEIJy+AtyLYA6MbNLHPzMUY
Bb3Lvz+Csi3rRHgeU7aD2VQt0GVcx44AWQVZbtKqquq3IUJ6YqMnUSZ70szWYJHg
vsz4UjHaNVm02/sXq8l5YakianycYQspmDlV44+ypa1XcmRlaWhXRKV+zNbgptJI
UKvRUfQl9HrZXujHHimlAG7LsUwUM3pQATH9Myx9AdawZXWqL8WQDgECOdqCLwiL
XwIDAQAB
-----END PUBLIC KEY-----
`,
    /** The platform's RSA-2048 key pair (the simulator signs trade callbacks with the private half). */
    platformPrivateKey: `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCwu/+N9zrXNfBR
lmrq4wZEuPMrhbTt6ggONNZGu34L/68DdstzMdo6BIEl+p6NFlLxUhOhT614Vh2Z
OGsL14GGjzQ7dj46012JrKsc38CJxJetx7K9LQP4SJYfSBpg+5PPBGTO0FYY6uuy
oSVRSWz+u3Voh98WFARc0ZU7iXMDRx+919mTo2+O2MhisyEIm7Qvrc5ebaP9ARol
rdjEhr5S5YCmeM6upfve2iRVlxfP4S9lhv7PYaKJ91JleEjfbkrBGR8AA8GAkam+
/cVkM9Ar3UxenhnnXFjhqfAksSS4caFJG2N/gQpLwVp8GwrCeR88yvQVQyKOFqga
P02bpX5TAgMBAAECggEAEp9EjrdptkqDL32bd3ODchNQ4BmfFmCOB70uhNZ1shr3
XHSUfGdY2LsnxpIxSal8BNyCoAEuxJrCVKY6tU04Yy7MsKVFalpiJUMR5qF2/q09
1DxSC5fmLq+rTdGBog1wJiSO4LHYGJkMS86qCXYkq3SiKukCKyfhy8vznwndGg+j
/yU+YDUv05XhX7d4nAPL0vB/ua7jmGpT/khVlaIThlc3eiaG3hFr9SnyYgvgu6R7
5nBZ7f5TPkXJ94/ywPZeQuIZeKBMKCuaxXWAGUZGjf40yKGUEeiPRk/SrKnr5gdM
b97mfhHYXXv+osWs152mGkM8o1g+Srwvrm1H7hxNHQKBgQDnXVcun9+FkVGNDZz1
/VWnyyG/B1rNx4QgYUghTRyUuH0FV0NnMF+bmIVAJxRRVfaUqPigUsviJDW502+Q
RslILdoch3ZfSi6VhmS13R2tvwUQe3MlcYrNisuM4Z7d0hV7WnUjhn986TTZXJ7m
3mnGL+/6Udhff0aHeI50DDMwHwKBgQDDjYR8Qw9MZ/j4SMQUMJJK8V8MbFk+l5VR
Ff+8nuPrWA8bqziOAegQb+4ImuY/VHJ9amB/W02xi+up6DX5Yfo/pE3q/vvKs2b+
Az3JmZJLaq9QmRpuk1dsNCWyMEW6/gqlmgBzbflTIf5KyMMg7s+mdangqaNPYDSF
ccbbeTtbTQKBgHzykr+yRWN73F/hxy+t1dFdSWdCEI7rPfbCstKRM2s5ywLUYqla
nXeJQgUoVberRhR4wHTM4iDJz14AytJO+CsL4CviGFJT3J6RytfQh1OqwpBpKwFA
tWZVm6IEwugmqcVJT9OUsksCIrF0bLhfyx3mC6LTCphgQvWsbLpNUGOfAoGAYMgC
YMmDocn3c1H4ERH05ThOVUSuaob09FuR5RUyMgC0AXqdE9MnujLbONEI0SEHRMDI
H1/dtNhN+xoc1F7ETokPsxUdIrXlbCPIiaUCvWaAe8A6T62GX9vzKBwx9pjSRiFQ
xdAQzC8Pvo1b3Umz5WtodvMeCyPO+phT1b1LPiUCgYAB0qdNp4XBPUndwgYzIjqJ
JvZv+b0Oaih/EY+sGBHsh2rhkqjoy+2c5YI5SXm/tMooP0DviGhrqHuCEi66m5Fi
qh2WI+tOre2/eF4R/3pAQpoG61cb2t3uKZwV3PzbvW07KiZRRKq3esMbxJGry+Lp
Vwm1IQxtT0qFMFKyxzkryg==
-----END PRIVATE KEY-----
`,
    platformPublicKey: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsLv/jfc61zXwUZZq6uMG
RLjzK4W07eoIDjTWRrt+C/+vA3bLczHaOgSBJfqejRZS8VIToU+teFYdmThrC9eB
ho80O3Y+OtNdiayrHN/AicSXrceyvS0D+EiWH0gaYPuTzwRkztBWGOrrsqElUUls
/rt1aIffFhQEXNGVO4lzA0cfvdfZk6NvjtjIYrMhCJu0L63OXm2j/QEaJa3YxIa+
UuWApnjOrqX73tokVZcXz+EvZYb+z2GiifdSZXhI325KwRkfAAPBgJGpvv3FZDPQ
K91MXp4Z51xY4anwJLEkuHGhSRtjf4EKS8FafBsKwnkfPMr0FUMijhaoGj9Nm6V+
UwIDAQAB
-----END PUBLIC KEY-----
`,
    merchantUid: 'demo_merchant_0001',
  },
  tiktok: {
    appKey: 'demo_tiktok_app_key',
    appSecret: 'demo_tiktok_app_secret_do_not_use',
    accessToken: 'TTP_demo_access_token',
    refreshToken: 'TTP_demo_refresh_token',
    shopCipher: 'ROW_demo_shop_cipher',
    shopId: '7000000000000000001',
  },
  algovoi: {
    apiKey: 'algv_demo_api_key_do_not_use',
    tenantId: '00000000-0000-4000-8000-000000000001',
    webhookSecret: 'demo_algovoi_webhook_secret_do_not_use',
  },
} as const;

export type DemoCredentials = typeof demoCredentials;

/**
 * The Douyin app secret (the trade system's client-token credential) the simulator accepts by default.
 * Kept apart from `demoCredentials`, whose shape users already rely on. A published demo value: it
 * protects nothing.
 */
export const DEMO_DOUYIN_APP_SECRET = 'demo_douyin_app_secret_do_not_use';
