"""Holiday files as official notices are shared, for the reader, service and page tests (2031: past the library)."""

ICS_2031 = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Tandem tests//China holidays 2031//ZH\r
BEGIN:VEVENT\r
UID:2031-new-year@test\r
DTSTART;VALUE=DATE:20310101\r
DTEND;VALUE=DATE:20310102\r
SUMMARY:\xe5\x85\x83\xe6\x97\xa6 \xe4\xbc\x91\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:2031-spring@test\r
DTSTART;VALUE=DATE:20310122\r
DTEND;VALUE=DATE:20310129\r
SUMMARY:\xe6\x98\xa5\xe8\x8a\x82 \xe5\x81\x87\xe6\x9c\x9f\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:2031-spring-work@test\r
DTSTART;VALUE=DATE:20310118\r
SUMMARY:\xe6\x98\xa5\xe8\x8a\x82 \xe8\xa1\xa5\xe7\x8f\xad\r
END:VEVENT\r
END:VCALENDAR\r
"""
# 元旦 休 (Wed 01-01), 春节 假期 (01-22 to 01-28, seven days), 春节 补班 (Saturday 01-18).

CSV_2031 = "日期,名称,类型\n2031-01-01,元旦,休\n2031-01-22~2031-01-28,春节,休\n2031/1/18,春节调休,班\n"

BAD_CSV_2031 = "日期,名称,类型\n2031-01-01,元旦,休\n2031-02-30,春节,休\n2031-01-18,春节调休,待定\n"
