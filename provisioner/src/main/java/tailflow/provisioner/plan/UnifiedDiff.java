package tailflow.provisioner.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Line diff in unified format (longest common subsequence; config files are small), with three
 * lines of context, as {@code diff -u} prints it.
 */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {}

    private record Op(char kind, String line, int oldNo, int newNo) {}

    public static String diff(String oldName, String oldText, String newName, String newText) {
        List<Op> ops = ops(lines(oldText), lines(newText));
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldName).append('\n').append("+++ ").append(newName).append('\n');
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // extend the hunk while changes are closer than 2*CONTEXT lines apart
            int lastChange = i;
            while (end < ops.size() && end - lastChange <= 2 * CONTEXT) {
                if (ops.get(end).kind != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int oldStart = 0;
            int newStart = 0;
            int oldCount = 0;
            int newCount = 0;
            for (int k = start; k < end; k++) {
                Op op = ops.get(k);
                if (op.kind != '+') {
                    oldCount++;
                    if (oldStart == 0) {
                        oldStart = op.oldNo;
                    }
                }
                if (op.kind != '-') {
                    newCount++;
                    if (newStart == 0) {
                        newStart = op.newNo;
                    }
                }
            }
            out.append("@@ -").append(oldCount == 0 ? Math.max(0, ops.get(start).oldNo - 1) : oldStart).append(',').append(oldCount)
                    .append(" +").append(newCount == 0 ? Math.max(0, ops.get(start).newNo - 1) : newStart).append(',').append(newCount)
                    .append(" @@\n");
            for (int k = start; k < end; k++) {
                out.append(ops.get(k).kind).append(ops.get(k).line).append('\n');
            }
            i = end;
        }
        return out.toString();
    }

    /** Lines that differ (removed plus added), for reasons like "config differs: 2 lines". */
    public static int changedLines(String oldText, String newText) {
        return (int) ops(lines(oldText), lines(newText)).stream().filter(o -> o.kind != ' ').count();
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> l = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    private static List<Op> ops(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i), i + 1, j + 1));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', a.get(i), i + 1, j + 1));
                i++;
            } else {
                ops.add(new Op('+', b.get(j), i + 1, j + 1));
                j++;
            }
        }
        return ops;
    }
}
