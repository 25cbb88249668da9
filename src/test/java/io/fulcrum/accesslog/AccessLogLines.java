package io.fulcrum.accesslog;

import java.util.ArrayList;
import java.util.List;

/** Splits an access log line back into its fields: space separated, double-quoted fields unescaped. */
public final class AccessLogLines {
    private AccessLogLines() {
    }

    public static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            StringBuilder field = new StringBuilder();
            if (line.charAt(i) == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char next = line.charAt(i++);
                        if (next == 'x') {
                            field.append((char) Integer.parseInt(line.substring(i, i + 2), 16));
                            i += 2;
                        } else {
                            field.append(next);
                        }
                    } else {
                        field.append(c);
                    }
                }
                i++; // the closing quote
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    field.append(line.charAt(i++));
                }
            }
            fields.add(field.toString());
            i++; // the space
        }
        return fields;
    }
}
