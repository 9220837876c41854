package tailflow.provisioner.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Which host ssh asks a service ticket for ({@code host/NAME@REALM}): {@code GSSAPIServerIdentity}
 * if set, else the name connected to. Java's Kerberos canonicalises names itself (it lengthens
 * {@code web1} to {@code web1.lab.example}), but it keeps an address as an address, where MIT's
 * library (which ssh uses) looks its name up: with {@code ansible_host=10.0.0.5} ssh asks for
 * {@code host/web1.lab.example}, Java would ask for {@code host/10.0.0.5}. So an address is
 * reverse-resolved here, unless krb5.conf turns that off as it would for MIT
 * ({@code dns_canonicalize_hostname = false} or {@code rdns = false} in {@code [libdefaults]}).
 *
 * @param dnsCanonicalize krb5.conf's {@code dns_canonicalize_hostname} (MIT's default: true)
 * @param rdns            krb5.conf's {@code rdns} (MIT's default: true)
 * @param reverse         address to name (the resolver's PTR lookup; the address itself when it has none)
 */
record GssApiServiceHost(boolean dnsCanonicalize, boolean rdns, UnaryOperator<String> reverse) {

    /** As krb5.conf at {@code file} says (a missing or unreadable file: MIT's defaults), reversing with the JVM's resolver. */
    static GssApiServiceHost fromKrb5Conf(Optional<Path> file) {
        return new GssApiServiceHost(!flag(file, "dns_canonicalize_hostname").equals("false"),
                !flag(file, "rdns").equals("false"), GssApiServiceHost::reverseLookup);
    }

    String of(String address, Optional<String> serverIdentity) {
        if (serverIdentity.isPresent()) {
            return serverIdentity.get();
        }
        if (dnsCanonicalize && rdns && isAddressLiteral(address)) {
            return reverse.apply(address);
        }
        return address;
    }

    private static boolean isAddressLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":");
    }

    private static String reverseLookup(String address) {
        try {
            return InetAddress.getByName(address).getCanonicalHostName();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** {@code [libdefaults] key = value}, lower-cased; "" when not set. Only what this class needs of krb5.conf. */
    private static String flag(Optional<Path> file, String key) {
        if (file.isEmpty() || !Files.isReadable(file.get())) {
            return "";
        }
        try {
            boolean libdefaults = false;
            for (String raw : Files.readAllLines(file.get())) {
                String line = raw.strip();
                if (line.startsWith("[")) {
                    libdefaults = line.equals("[libdefaults]");
                } else if (libdefaults && !line.startsWith("#") && !line.startsWith(";")) {
                    String[] kv = line.split("\\s*=\\s*", 2);
                    if (kv.length == 2 && kv[0].equalsIgnoreCase(key)) {
                        String v = kv[1].strip().toLowerCase(Locale.ROOT);
                        // MIT's false words
                        return java.util.Set.of("n", "no", "false", "nil", "0", "off").contains(v) ? "false" : v;
                    }
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
