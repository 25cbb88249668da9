package io.fulcrum.scaling;

import java.util.Random;
import java.util.regex.Pattern;

/** Instance ids in EC2's form: {@code i-} and 17 lowercase hex digits. */
public final class InstanceIds {
    private static final Pattern ID = Pattern.compile("i-[0-9a-f]{17}");
    private static final int HEX_DIGITS = 17;

    private InstanceIds() {
    }

    /** A new id from {@code random} (68 random bits). */
    public static String next(Random random) {
        char[] id = new char[2 + HEX_DIGITS];
        id[0] = 'i';
        id[1] = '-';
        for (int i = 0; i < HEX_DIGITS; i++) {
            id[2 + i] = Character.forDigit(random.nextInt(16), 16);
        }
        return new String(id);
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
