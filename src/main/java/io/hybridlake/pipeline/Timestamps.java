package io.hybridlake.pipeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 timestamps to epoch microseconds. The common event form
 * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)} is parsed by hand (java.time's parser was a third
 * of the decode cost); anything else falls back to java.time, so the accepted set is unchanged.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** Parses an ISO-8601 timestamp; one without offset is taken as UTC. */
    public static long parseMicros(String s) {
        long fast = fastParse(s);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        try {
            return micros(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return micros(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
        }
    }

    static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    /** Long.MIN_VALUE when the string is not in the fast form (the caller then uses java.time). */
    static long fastParse(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || day > lengthOfMonth(year, month)) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        long micros = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            long fraction = 0;
            while (i < n && Character.isDigit(s.charAt(i)) && i - start < 9) {
                fraction = fraction * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || (i < n && Character.isDigit(s.charAt(i)))) {
                return Long.MIN_VALUE;
            }
            for (int k = len; k < 6; k++) {
                fraction *= 10;
            }
            for (int k = len; k > 6; k--) {
                fraction /= 10;
            }
            micros = fraction;
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return Long.MIN_VALUE;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000_000L + micros;
    }

    private static int lengthOfMonth(int year, int month) {
        return YearMonth.of(year, month).lengthOfMonth();
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
