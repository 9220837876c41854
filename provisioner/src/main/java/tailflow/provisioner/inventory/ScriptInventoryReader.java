package tailflow.provisioner.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An executable inventory script, as Ansible's script plugin runs it: {@code SCRIPT --list}
 * prints JSON groups ({@code {"web": {"hosts": [...], "vars": {...}, "children": [...]}}} or a
 * bare list of hosts) and {@code _meta.hostvars}; without {@code _meta}, {@code SCRIPT --host NAME}
 * is asked for each host's vars.
 */
final class ScriptInventoryReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path script;
    private final ObjectMapper json = new ObjectMapper();

    ScriptInventoryReader(Path script) {
        this.script = script;
    }

    RawInventory read() {
        RawInventory inv = new RawInventory();
        JsonNode root = runJson("--list");
        if (!root.isObject()) {
            throw problem("--list printed " + root.getNodeType().name().toLowerCase() + ", expected a JSON object of groups");
        }
        JsonNode meta = root.path("_meta");
        JsonNode hostvars = meta.path("hostvars");
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("_meta")) {
                continue;
            }
            String group = e.getKey();
            RawInventory.Group g = inv.group(group);
            JsonNode body = e.getValue();
            JsonNode hosts = body.isArray() ? body : body.path("hosts");
            for (JsonNode h : hosts) {
                inv.addHost(group, h.asText(), Map.of(), Map.of());
            }
            if (body.isObject()) {
                map(body.path("vars")).forEach((k, v) -> {
                    g.vars.put(k, v);
                    g.origins.put(k, script + " --list (group " + group + ")");
                });
                for (JsonNode child : body.path("children")) {
                    inv.group(child.asText());
                    g.children.add(child.asText());
                }
            }
        }
        for (String host : inv.hostVars.keySet().toArray(String[]::new)) {
            Map<String, Object> vars = meta.isMissingNode() ? map(runJson("--host", host)) : map(hostvars.path(host));
            Map<String, String> origins = new LinkedHashMap<>();
            vars.keySet().forEach(k -> origins.put(k, script + (meta.isMissingNode() ? " --host " + host : " --list (_meta)")));
            inv.hostVars.get(host).putAll(vars);
            inv.hostOrigins.computeIfAbsent(host, h -> new LinkedHashMap<>()).putAll(origins);
        }
        return inv;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!node.isObject()) {
            throw problem("expected a JSON object of variables, found " + node);
        }
        return json.convertValue(node, LinkedHashMap.class);
    }

    private JsonNode runJson(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = script.toAbsolutePath().toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        try {
            Process p = new ProcessBuilder(argv).directory(script.toAbsolutePath().getParent().toFile()).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw problem(String.join(" ", args) + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            String stderr = new String(err.join(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw problem(String.join(" ", args) + " exited " + p.exitValue() + (stderr.isEmpty() ? "" : ": " + stderr));
            }
            try {
                return json.readTree(out.join());
            } catch (IOException e) {
                throw problem(String.join(" ", args) + " printed no valid JSON: " + e.getMessage());
            }
        } catch (IOException e) {
            throw problem("cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw problem("interrupted");
        }
    }

    /** Both output streams are read while the script runs: a full pipe must not stall it. */
    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                return new byte[0];
            }
        }, r -> {
            Thread t = new Thread(r, "inventory-script-reader");
            t.setDaemon(true);
            t.start();
        });
    }

    private InventoryException problem(String what) {
        return new InventoryException(script, 1, 1, "inventory script: " + what);
    }
}
