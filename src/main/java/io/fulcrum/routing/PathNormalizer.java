package io.fulcrum.routing;

/**
 * Normalises a request path (RFC 3986 §6.2.2) once per request, so that rules and the target see the same
 * path and no rule can be bypassed by spelling a path differently.
 *
 * <p>{@link #normalize(String)} does, in order:
 * <ol>
 *   <li>rejects (returns {@code null}) a path that is empty, does not start with {@code /} (so {@code *}
 *       and absolute-form are the caller's business), contains a control character, space, DEL, {@code ?}
 *       or {@code #} (the caller must cut the query off first), or a {@code %} not followed by two hex
 *       digits;</li>
 *   <li>decodes percent-encoded unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) and {@code %2F}
 *       ({@code /}), case-insensitively, so that {@code %2e%2e} and {@code %2f} cannot hide a dot-segment
 *       from the rules. Note that {@code /a%2Fb} therefore becomes {@code /a/b}, also for the target;</li>
 *   <li>keeps every other percent-encoding, with its hex digits upper-cased ({@code %3f} → {@code %3F});
 *       other characters (including non-ASCII ones) are kept as they are;</li>
 *   <li>removes dot-segments: {@code .} segments vanish and {@code ..} removes the segment before it
 *       ({@code /a/./b} → {@code /a/b}, {@code /api/../admin} → {@code /admin}, {@code /a/..} →
 *       {@code /}, {@code /a/.} → {@code /a/}). A {@code ..} that would climb above the root makes the
 *       whole path invalid ({@code /..}, {@code /a/../../b} → {@code null}), where RFC 3986 would silently
 *       drop it: such a request is an attack or a bug, and is better refused;</li>
 *   <li>keeps empty segments: {@code //a} stays {@code //a} and {@code /a//b} stays {@code /a//b}.
 *       Merging slashes would change the resource for targets that treat them as significant, and ALB
 *       does not merge them either; a {@code ..} after an empty segment removes just that empty segment
 *       ({@code /a//../b} → {@code /a/b}).</li>
 * </ol>
 * A path that needs no change is returned as the same String instance, without allocation.
 */
public final class PathNormalizer {
    private PathNormalizer() {
    }

    /** The normalised path, or {@code null} when {@code rawPath} is invalid or escapes the root. */
    public static String normalize(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        int len = rawPath.length();
        boolean needsWork = false;
        int segStart = 1;
        for (int i = 0; i < len; i++) {
            char c = rawPath.charAt(i);
            if (isForbidden(c)) {
                return null;
            }
            if (c == '%') {
                needsWork = true;
            } else if (c == '/' && i > 0) {
                needsWork |= isDotSegment(rawPath, segStart, i);
                segStart = i + 1;
            }
        }
        needsWork |= isDotSegment(rawPath, segStart, len);
        if (!needsWork) {
            return rawPath;
        }
        String decoded = decode(rawPath);
        return decoded == null ? null : removeDotSegments(decoded);
    }

    private static boolean isForbidden(char c) {
        return c <= 0x20 || c == 0x7f || c == '?' || c == '#';
    }

    private static boolean isDotSegment(CharSequence s, int from, int to) {
        int n = to - from;
        return (n == 1 && s.charAt(from) == '.') || (n == 2 && s.charAt(from) == '.' && s.charAt(from + 1) == '.');
    }

    /** Step 2 and 3: decode what may hide a dot-segment, canonicalise the rest; null on bad encoding. */
    private static String decode(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int len = raw.length();
        for (int i = 0; i < len; i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= len) {
                return null;
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0 || raw.charAt(i + 1) > 0x7f || raw.charAt(i + 2) > 0x7f) {
                return null;
            }
            int v = hi << 4 | lo;
            if (v == '/' || isUnreserved(v)) {
                out.append((char) v);
            } else {
                out.append('%').append(Character.toUpperCase(raw.charAt(i + 1)))
                        .append(Character.toUpperCase(raw.charAt(i + 2)));
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Step 4 and 5 on a path that starts with '/'; null when ".." climbs above the root. */
    private static String removeDotSegments(String path) {
        int len = path.length();
        StringBuilder out = new StringBuilder(len);
        // Output length before each kept segment was appended, so ".." can cut it off again.
        int[] starts = new int[len];
        int depth = 0;
        int i = 1;
        while (true) {
            int j = path.indexOf('/', i);
            boolean last = j < 0;
            if (last) {
                j = len;
            }
            if (j - i == 1 && path.charAt(i) == '.') {
                if (last) {
                    out.append('/');
                }
            } else if (j - i == 2 && path.charAt(i) == '.' && path.charAt(i + 1) == '.') {
                if (depth == 0) {
                    return null;
                }
                out.setLength(starts[--depth]);
                if (last) {
                    out.append('/');
                }
            } else {
                starts[depth++] = out.length();
                out.append('/').append(path, i, j);
            }
            if (last) {
                break;
            }
            i = j + 1;
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
