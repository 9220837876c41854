package tailflow.provisioner.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A tiny terminal for tests: plays back what was written (text, CR, LF, cursor up {@code ESC[nA},
 * erase to end of screen {@code ESC[J}, colours {@code ESC[...m} ignored) and shows what a person
 * would see, scrollback included. Any other escape sequence fails the test: the view must not use
 * what this does not understand.
 */
final class VirtualScreen {

    private final List<StringBuilder> rows = new ArrayList<>();
    private int row;
    private int col;

    VirtualScreen() {
        rows.add(new StringBuilder());
    }

    static List<String> play(String written) {
        VirtualScreen s = new VirtualScreen();
        s.write(written);
        return s.lines();
    }

    void write(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                row++;
                col = 0;
                while (rows.size() <= row) {
                    rows.add(new StringBuilder());
                }
            } else if (c == '\r') {
                col = 0;
            } else if (c == '\033') {
                i = escape(text, i);
            } else {
                StringBuilder r = rows.get(row);
                while (r.length() < col) {
                    r.append(' ');
                }
                if (col < r.length()) {
                    r.setCharAt(col, c);
                } else {
                    r.append(c);
                }
                col++;
            }
        }
    }

    private int escape(String text, int at) {
        if (at + 1 >= text.length() || text.charAt(at + 1) != '[') {
            throw new AssertionError("unsupported escape at " + at + ": " + text.substring(at, Math.min(text.length(), at + 8)));
        }
        int end = at + 2;
        while (end < text.length() && (Character.isDigit(text.charAt(end)) || text.charAt(end) == ';')) {
            end++;
        }
        String arg = text.substring(at + 2, end);
        char cmd = text.charAt(end);
        switch (cmd) {
            case 'A' -> row = Math.max(0, row - (arg.isEmpty() ? 1 : Integer.parseInt(arg)));
            case 'J' -> {
                rows.get(row).setLength(Math.min(col, rows.get(row).length()));
                while (rows.size() > row + 1) {
                    rows.remove(rows.size() - 1);
                }
            }
            case 'm' -> { }
            default -> throw new AssertionError("unsupported escape ESC[" + arg + cmd);
        }
        return end;
    }

    /** The rows with text, trailing empty rows dropped. */
    List<String> lines() {
        List<String> out = new ArrayList<>(rows.stream().map(StringBuilder::toString).toList());
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
