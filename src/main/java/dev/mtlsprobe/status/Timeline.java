package dev.mtlsprobe.status;

/**
 * The last hour of one cell, a minute per slot: the worst verdict seen in the minute, and whether the outcome
 * changed in it. Sixty bytes per cell, whatever the interval, so that the page can draw an hour at 1,000 targets.
 */
final class Timeline {

    static final int MINUTES = 60;
    private static final byte NONE = 0;
    private static final byte PASS = 1;
    private static final byte INCONCLUSIVE = 2;
    private static final byte FAIL = 3;
    private static final byte CHANGED = 4;

    private final byte[] slots = new byte[MINUTES];
    private long newestMinute = -1; // epoch minute of the newest slot

    /** @param changed the outcome differs from the previous attempt's */
    void add(long atMillis, String verdict, boolean changed) {
        long minute = Math.floorDiv(atMillis, 60_000);
        if (minute < newestMinute - (MINUTES - 1)) {
            return; // older than the window (a clock step back)
        }
        if (minute > newestMinute) {
            long gap = newestMinute < 0 ? MINUTES : Math.min(MINUTES, minute - newestMinute);
            for (long m = minute - gap + 1; m <= minute; m++) {
                slots[index(m)] = NONE;
            }
            newestMinute = minute;
        }
        int i = index(minute);
        byte level = switch (verdict) {
            case "fail" -> FAIL;
            case "inconclusive" -> INCONCLUSIVE;
            default -> PASS;
        };
        byte before = slots[i];
        byte worst = (byte) Math.max(before & 3, level);
        slots[i] = (byte) (worst | (before & CHANGED) | (changed ? CHANGED : 0));
    }

    /**
     * The hour up to {@code nowMillis}, oldest minute first, one character per minute: {@code p} pass,
     * {@code i} inconclusive, {@code f} fail, {@code -} no attempt; upper case where the outcome changed.
     */
    String render(long nowMillis) {
        long now = Math.floorDiv(nowMillis, 60_000);
        StringBuilder sb = new StringBuilder(MINUTES);
        for (long m = now - MINUTES + 1; m <= now; m++) {
            byte b = m <= newestMinute && m > newestMinute - MINUTES ? slots[index(m)] : NONE;
            char c = switch (b & 3) {
                case PASS -> 'p';
                case INCONCLUSIVE -> 'i';
                case FAIL -> 'f';
                default -> '-';
            };
            sb.append((b & CHANGED) != 0 ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    private static int index(long minute) {
        return (int) Math.floorMod(minute, (long) MINUTES);
    }
}
