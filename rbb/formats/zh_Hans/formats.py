# Dates as the UN's Chinese documents print them: "2020 年 7 月 1 日", spaces around the digits.
DATE_FORMAT = "Y 年 n 月 j 日"
DATETIME_FORMAT = "Y 年 n 月 j 日 H:i"
YEAR_MONTH_FORMAT = "Y 年 n 月"
MONTH_DAY_FORMAT = "n 月 j 日"
SHORT_DATE_FORMAT = "Y 年 n 月 j 日"
SHORT_DATETIME_FORMAT = "Y 年 n 月 j 日 H:i"
