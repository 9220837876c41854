package tailflow.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tailflow.agent.pipeline.Labels;

/** Reads a scrape config's {@code journal:} block with Promtail's defaults. */
final class JournalBinder {
    static final String EXAMPLE = "max_age: 12h, labels: {job: systemd-journal}";

    private final BindContext ctx;

    JournalBinder(BindContext ctx) {
        this.ctx = ctx;
    }

    JournalConfig bind(Section j) {
        Duration maxAge = j.parsed("max_age", "a duration like 12h or 30m",
                t -> Units.duration(t).filter(d -> !d.isNegative())).orElse(JournalConfig.DEFAULT_MAX_AGE);
        boolean json = j.bool("json", false);
        Optional<Path> path = j.parsed("path", "a journal directory like /var/log/journal",
                t -> t.isBlank() || t.indexOf('\0') >= 0 ? Optional.empty() : Optional.of(Path.of(t.trim())));
        List<JournalConfig.Match> matches = matches(j);
        Map<String, String> labels = new LinkedHashMap<>();
        for (Section.ScalarEntry e : j.scalarMap("labels", "job: systemd-journal").values()) {
            if (!Labels.isValidName(e.key())) {
                ctx.error(e.keyLocation(), e.path(), "expected a label name made of letters, digits and _ (not starting with a digit)");
            } else if (!e.value().isNull()) {
                labels.put(e.key(), e.value().text());
            }
        }
        j.finish(Set.of());
        return new JournalConfig(maxAge, json, path, matches, labels);
    }

    /**
     * Promtail splits {@code matches} on white space and each term on {@code =} into exactly two
     * parts; libsystemd takes field names of A-Z, 0-9 and _ not starting with a digit.
     */
    private List<JournalConfig.Match> matches(Section j) {
        List<JournalConfig.Match> out = new ArrayList<>();
        Optional<Node.Entry> entry = j.entry("matches");
        Optional<String> text = entry.flatMap(e -> j.scalarText(e, "journal matches like _SYSTEMD_UNIT=ssh.service"));
        if (text.isEmpty()) {
            return out;
        }
        for (String term : text.get().trim().split("\\s+")) {
            if (term.isEmpty()) {
                continue;
            }
            String[] fv = term.split("=", -1);
            if (fv.length != 2 || !validField(fv[0])) {
                ctx.error(entry.get().value().location(), j.keyPath("matches"), "expected FIELD=value terms separated by"
                        + " spaces (FIELD of A-Z, 0-9 and _, like _SYSTEMD_UNIT=ssh.service), found '" + term + "'");
            } else {
                out.add(new JournalConfig.Match(fv[0], fv[1]));
            }
        }
        return out;
    }

    private static boolean validField(String f) {
        if (f.isEmpty() || f.length() > 64 || f.charAt(0) >= '0' && f.charAt(0) <= '9') {
            return false;
        }
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
