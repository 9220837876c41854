package tailflow.provisioner.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tailflow.provisioner.apply.HostRunner;
import tailflow.provisioner.apply.Rollout;
import tailflow.provisioner.bundle.ArchBundles;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.bundle.HashCache;
import tailflow.provisioner.bundle.DebPackage;
import tailflow.provisioner.inventory.InventoryHost;
import tailflow.provisioner.plan.AgentSettings;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.Progress;
import tailflow.provisioner.report.Recap;
import tailflow.provisioner.report.Terminal;
import tailflow.provisioner.ssh.SshTarget;
import tailflow.provisioner.ssh.TargetResolver;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Install or update the agent, its unit and per-host config; restart only what changed; verify; roll back on failure.",
                "Exit codes: 0 all ok, 2 a host failed (or bad input: nothing was contacted), 4 a host was unreachable."})
public final class ApplyCommand implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    BundleOptions bundleOptions;

    @Option(names = {"-C", "--check"}, description = "print the plan, change nothing")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "show unified diffs of changed text files (secrets masked)")
    boolean diff;

    @Option(names = "--serial", paramLabel = "N|P%", description = "roll out in batches; stop after a batch with a failure")
    String serial;

    @Option(names = "--install-java", description = "install the distro's headless JRE 17 where java is missing")
    boolean installJava;

    @Option(names = "--verify-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long the agent may take to be active and ready (default ${DEFAULT-VALUE})")
    int verifySeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON ('-' for stdout)")
    Path json;

    @Mixin
    InstallOptions install;

    @Option(names = "--timings", description = "print per-phase timings per host in the recap (always in --json)")
    boolean timings;

    @Option(names = {"-q", "--quiet"}, description = "no per-step lines, only the recap")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        List<InventoryHost> hosts = inventory.select();
        // Everything that can be wrong with the input is found before any host is contacted.
        Map<String, AgentSettings> settings = new LinkedHashMap<>();
        Map<String, SshTarget> targets = new LinkedHashMap<>();
        Map<String, String> methods = new LinkedHashMap<>();
        TargetResolver resolver = connection.targets();
        for (InventoryHost h : hosts) {
            settings.put(h.name(), AgentSettings.of(h));
            targets.put(h.name(), resolver.resolve(h));
            methods.put(h.name(), install.methodFor(h));
        }
        int batch = Rollout.batchSize(serial, hosts.size());
        // Bundles are cached by content: re-applying an unchanged build costs no compression.
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "tailflow", "bundles");
        HashCache hashes = HashCache.in(cache);
        Bundle bundle = bundleOptions.load(cache, hashes);
        boolean jsonToStdout = json != null && json.toString().equals("-");
        DebPackage deb = methods.containsValue("deb") ? bundleOptions.loadDeb() : null;
        List<HostResult> results;
        try (Progress progress = progress(jsonToStdout)) {
            progress.block("release " + bundle.releaseId() + " (" + bundle.size() / 1024 + " KiB, sha256 "
                    + bundle.sha256().substring(0, 12) + ") -> " + hosts.size() + " host(s)" + (check ? ", check mode" : ""));
            if (deb != null) {
                progress.block("package " + deb.fileName() + " (" + deb.size() / 1024 + " KiB, sha256 " + deb.sha256().substring(0, 12)
                        + ") -> " + methods.values().stream().filter("deb"::equals).count() + " host(s) with tailflow_install: deb");
            }
            // each host is sent its architecture's bundle (JNA natives of other platforms left out)
            ArchBundles bundles = new ArchBundles(bundle, cache, hashes);
            Map<String, HostRunner> runners = new LinkedHashMap<>();
            for (String method : new java.util.TreeSet<>(methods.values())) {
                runners.put(method, new HostRunner(connection.opener(), bundles, install.scripts(method, () -> deb),
                        new HostRunner.Options(check, diff, installJava, Duration.ofSeconds(verifySeconds)), progress, Clock.systemUTC()));
            }
            progress.start();
            results = Rollout.run(hosts, InventoryHost::name, connection.forks(), batch,
                    h -> runners.get(methods.get(h.name())).apply(h.name(), targets.get(h.name()), settings.get(h.name())), progress);
        }
        hashes.save();
        if (!jsonToStdout) {
            Recap.print(results, System.out);
            if (timings) {
                Recap.printTimings(results, System.out);
            }
        }
        if (json != null) {
            Recap.writeJson(results, json, System.out);
        }
        return Recap.exitCode(results);
    }

    /**
     * Plain step lines, plus the live fleet view when stdout is a terminal. -v/-vv turn the view
     * off: their output is a log of every remote command, to be read and scrolled, not redrawn under.
     */
    private Progress progress(boolean jsonToStdout) {
        if (quiet || jsonToStdout) {
            return new Progress(System.out, true);
        }
        if (connection.verbose.length > 0) {
            return new Progress(System.out, false);
        }
        return Progress.live(System.out, Terminal.ofStdout(), Clock.systemUTC());
    }
}
