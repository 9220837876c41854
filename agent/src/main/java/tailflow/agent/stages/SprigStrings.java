package tailflow.agent.stages;

import static tailflow.agent.stages.SprigFunctions.strval;
import static tailflow.agent.stages.SprigFunctions.toInt;
import static tailflow.agent.stages.TemplateFunctions.arity;
import static tailflow.agent.stages.TemplateFunctions.one;
import static tailflow.agent.stages.TemplateFunctions.str;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import tailflow.agent.stages.GoTemplate.ExecError;

/**
 * sprig v3.3.0's remaining string functions: word case (snakecase, camelcase, kebabcase,
 * swapcase, untitle, see {@link SprigCase}), wrap, wrapWith, abbrevboth, b32enc/b32dec,
 * sha512sum, hello, toDecimal, paths (dir, clean and the os* forms, which are the same on Linux),
 * expandenv, urlParse/urlJoin, getHostByName, and the random ones (randAlpha, randAlphaNum,
 * randAscii, randNumeric, randInt, randBytes, shuffle, uuidv4), random as in sprig, and
 * encryptAES/decryptAES. Not here (a template using them is a config error): bcrypt, htpasswd,
 * derivePassword and the key/certificate generators.
 */
final class SprigStrings {
    private SprigStrings() {}

    private static final SecureRandom RANDOM = new SecureRandom();

    static void register(Map<String, TemplateFunctions.Fn> f, UnaryOperator<String> env) {
        f.put("snakecase", a -> SprigCase.lowerWords(str(one(a, "snakecase"), "snakecase"), '_'));
        f.put("kebabcase", a -> SprigCase.lowerWords(str(one(a, "kebabcase"), "kebabcase"), '-'));
        f.put("camelcase", a -> SprigCase.pascal(str(one(a, "camelcase"), "camelcase")));
        f.put("swapcase", a -> SprigCase.swap(str(one(a, "swapcase"), "swapcase")));
        f.put("untitle", a -> SprigCase.untitle(str(one(a, "untitle"), "untitle")));
        f.put("wrap", a -> {
            arity(a, 2, 2, "wrap");
            return SprigCase.wrap(str(a.get(1), "wrap"), toInt(a.get(0)), "", false);
        });
        f.put("wrapWith", a -> {
            arity(a, 3, 3, "wrapWith");
            return SprigCase.wrap(str(a.get(2), "wrapWith"), toInt(a.get(0)), str(a.get(1), "wrapWith"), true);
        });
        f.put("abbrevboth", a -> {
            arity(a, 3, 3, "abbrevboth");
            return SprigCase.abbrevBoth(toInt(a.get(0)), toInt(a.get(1)), str(a.get(2), "abbrevboth"));
        });
        f.put("b32enc", a -> java32(str(one(a, "b32enc"), "b32enc")));
        f.put("b32dec", a -> base32decode(str(one(a, "b32dec"), "b32dec")));
        f.put("sha512sum", a -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512")
                        .digest(str(one(a, "sha512sum"), "sha512sum").getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new ExecError("SHA-512 not available");
            }
        });
        f.put("hello", a -> "Hello!");
        f.put("toDecimal", a -> {
            try {
                return Long.parseLong(strval(one(a, "toDecimal")), 8);
            } catch (NumberFormatException e) {
                return 0L;
            }
        });
        f.put("dir", a -> GoPath.dir(str(one(a, "dir"), "dir")));
        f.put("clean", a -> GoPath.clean(str(one(a, "clean"), "clean")));
        for (String name : List.of("Base", "Clean", "Dir", "Ext", "IsAbs")) {
            TemplateFunctions.Fn plain = f.get(Character.toLowerCase(name.charAt(0)) + name.substring(1));
            f.put("os" + name, plain);
        }
        f.put("expandenv", a -> expand(str(one(a, "expandenv"), "expandenv"), env));
        f.put("urlParse", a -> urlParse(str(one(a, "urlParse"), "urlParse")));
        f.put("urlJoin", a -> urlJoin(SprigMoreFunctions.asMap(one(a, "urlJoin"), "urlJoin")));
        f.put("getHostByName", a -> {
            try {
                return InetAddress.getAllByName(str(one(a, "getHostByName"), "getHostByName"))[0].getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return "";
            }
        });
        f.put("encryptAES", a -> {
            arity(a, 2, 2, "encryptAES");
            return encryptAes(str(a.get(0), "encryptAES"), str(a.get(1), "encryptAES"));
        });
        f.put("decryptAES", a -> {
            arity(a, 2, 2, "decryptAES");
            return decryptAes(str(a.get(0), "decryptAES"), str(a.get(1), "decryptAES"));
        });
        random(f);
    }

    /** sprig's AES-256-CBC: the password's bytes as the key (zero-padded or cut to 32), PKCS#7 padding, random IV first, base64. */
    private static String encryptAes(String password, String plaintext) throws ExecError {
        if (plaintext.isEmpty()) {
            return "";
        }
        byte[] content = plaintext.getBytes(StandardCharsets.UTF_8);
        int padding = 16 - content.length % 16;
        byte[] padded = java.util.Arrays.copyOf(content, content.length + padding);
        java.util.Arrays.fill(padded, content.length, padded.length, (byte) padding);
        byte[] out = new byte[16 + padded.length];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        System.arraycopy(iv, 0, out, 0, 16);
        try {
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/CBC/NoPadding");
            c.init(javax.crypto.Cipher.ENCRYPT_MODE, aesKey(password), new javax.crypto.spec.IvParameterSpec(iv));
            c.doFinal(padded, 0, padded.length, out, 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new ExecError("error calling encryptAES: " + e.getMessage());
        }
        return Base64.getEncoder().encodeToString(out);
    }

    private static String decryptAes(String password, String crypt64) throws ExecError {
        if (crypt64.isEmpty()) {
            return "";
        }
        try {
            byte[] crypt = Base64.getDecoder().decode(crypt64);
            if (crypt.length < 32 || crypt.length % 16 != 0) {
                throw new ExecError("error calling decryptAES: input not full blocks");
            }
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/CBC/NoPadding");
            c.init(javax.crypto.Cipher.DECRYPT_MODE, aesKey(password), new javax.crypto.spec.IvParameterSpec(crypt, 0, 16));
            byte[] plain = c.doFinal(crypt, 16, crypt.length - 16);
            int cut = Math.max(0, Math.min(plain.length, plain.length - (plain[plain.length - 1] & 0xFF)));
            return new String(plain, 0, cut, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            throw new ExecError("error calling decryptAES: " + e.getMessage());
        }
    }

    private static javax.crypto.spec.SecretKeySpec aesKey(String password) {
        return new javax.crypto.spec.SecretKeySpec(java.util.Arrays.copyOf(password.getBytes(StandardCharsets.UTF_8), 32), "AES");
    }

    private static void random(Map<String, TemplateFunctions.Fn> f) {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        String digits = "0123456789";
        StringBuilder ascii = new StringBuilder();
        for (char c = 32; c < 127; c++) {
            ascii.append(c);
        }
        f.put("randAlpha", a -> random(toInt(one(a, "randAlpha")), letters));
        f.put("randAlphaNum", a -> random(toInt(one(a, "randAlphaNum")), letters + digits));
        f.put("randNumeric", a -> random(toInt(one(a, "randNumeric")), digits));
        f.put("randAscii", a -> random(toInt(one(a, "randAscii")), ascii.toString()));
        f.put("randInt", a -> {
            arity(a, 2, 2, "randInt");
            long min = toInt(a.get(0));
            long max = toInt(a.get(1));
            if (max <= min) {
                throw new ExecError("error calling randInt: invalid argument to Intn");
            }
            return min + (long) (RANDOM.nextDouble() * (max - min));
        });
        f.put("randBytes", a -> {
            byte[] b = new byte[(int) Math.max(0, Math.min(1 << 20, toInt(one(a, "randBytes"))))];
            RANDOM.nextBytes(b);
            return Base64.getEncoder().encodeToString(b);
        });
        f.put("shuffle", a -> {
            List<Integer> cps = new ArrayList<>();
            str(one(a, "shuffle"), "shuffle").codePoints().forEach(cps::add);
            Collections.shuffle(cps, RANDOM);
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
        f.put("uuidv4", a -> {
            arity(a, 0, 0, "uuidv4");
            return UUID.randomUUID().toString();
        });
    }

    private static String random(long count, String alphabet) {
        StringBuilder sb = new StringBuilder();
        for (long i = 0; i < Math.min(count, 1 << 20); i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** base32.StdEncoding (RFC 4648, padded). */
    private static String java32(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < in.length; i += 5) {
            long buf = 0;
            int n = Math.min(5, in.length - i);
            for (int j = 0; j < 5; j++) {
                buf = buf << 8 | (j < n ? in[i + j] & 0xFF : 0);
            }
            int chars = (n * 8 + 4) / 5;
            for (int j = 0; j < 8; j++) {
                sb.append(j < chars ? alphabet.charAt((int) (buf >> (35 - 5 * j) & 31)) : '=');
            }
        }
        return sb.toString();
    }

    /** base32.StdEncoding.DecodeString; on bad input sprig returns the error's text. */
    private static String base32decode(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (s.length() % 8 != 0) {
            return "illegal base32 data at input byte " + (s.length() / 8 * 8);
        }
        for (int i = 0; i < s.length(); i += 8) {
            long buf = 0;
            int chars = 0;
            for (int j = 0; j < 8; j++) {
                char c = s.charAt(i + j);
                int v = alphabet.indexOf(c);
                if (c == '=') {
                    v = 0;
                } else if (v < 0) {
                    return "illegal base32 data at input byte " + (i + j);
                } else {
                    chars = j + 1;
                }
                buf = buf << 5 | v;
            }
            int bytes = chars * 5 / 8;
            for (int j = 0; j < bytes; j++) {
                out.write((int) (buf >> (32 - 8 * j) & 0xFF));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** os.ExpandEnv: $NAME and ${NAME} replaced by the variable's value, "" when unset. */
    private static String expand(String s, UnaryOperator<String> env) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                sb.append(c);
                i++;
                continue;
            }
            int start = i + 1;
            String name;
            if (s.charAt(start) == '{') {
                int close = s.indexOf('}', start);
                if (close < 0) {
                    return sb.toString(); // Go: a bad syntax eats the rest
                }
                name = s.substring(start + 1, close);
                i = close + 1;
            } else {
                int end = start;
                while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')
                        && s.charAt(end) < 128) {
                    end++;
                }
                if (end == start) {
                    end++; // a special one-character name such as $1 or $*
                }
                name = s.substring(start, end);
                i = end;
            }
            String v = env.apply(name);
            sb.append(v == null ? "" : v);
        }
        return sb.toString();
    }

    private static Map<String, Object> urlParse(String v) throws ExecError {
        URI u;
        try {
            u = new URI(v);
        } catch (Exception e) {
            throw new ExecError("error calling urlParse: unable to parse url: " + e.getMessage());
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("scheme", u.getScheme() == null ? "" : u.getScheme());
        String host = u.getRawAuthority() == null ? "" : u.getRawAuthority().replaceFirst("^.*@", "");
        d.put("host", host);
        d.put("hostname", u.getHost() == null ? host.replaceFirst(":[0-9]*$", "") : u.getHost().replaceAll("^\\[|]$", ""));
        d.put("path", u.isOpaque() || u.getPath() == null ? "" : u.getPath());
        d.put("query", u.getRawQuery() == null ? "" : u.getRawQuery());
        d.put("opaque", u.isOpaque() ? u.getRawSchemeSpecificPart() : "");
        d.put("fragment", u.getFragment() == null ? "" : u.getFragment());
        d.put("userinfo", u.getRawUserInfo() == null ? "" : u.getRawUserInfo());
        return d;
    }

    private static String urlJoin(Map<String, Object> d) {
        StringBuilder sb = new StringBuilder();
        String scheme = String.valueOf(d.getOrDefault("scheme", ""));
        String opaque = String.valueOf(d.getOrDefault("opaque", ""));
        String host = String.valueOf(d.getOrDefault("host", ""));
        String user = String.valueOf(d.getOrDefault("userinfo", ""));
        String path = String.valueOf(d.getOrDefault("path", ""));
        if (!scheme.isEmpty()) {
            sb.append(scheme).append(':');
        }
        if (!opaque.isEmpty()) {
            sb.append(opaque);
        } else {
            if (!scheme.isEmpty() || !host.isEmpty() || !user.isEmpty()) {
                if (!host.isEmpty() || !path.isEmpty() || !user.isEmpty()) {
                    sb.append("//");
                }
                if (!user.isEmpty()) {
                    sb.append(user).append('@');
                }
                sb.append(host);
            }
            if (!path.isEmpty() && !path.startsWith("/") && !host.isEmpty()) {
                sb.append('/');
            }
            sb.append(path);
        }
        String query = String.valueOf(d.getOrDefault("query", ""));
        if (!query.isEmpty()) {
            sb.append('?').append(query);
        }
        String fragment = String.valueOf(d.getOrDefault("fragment", ""));
        if (!fragment.isEmpty()) {
            sb.append('#').append(fragment);
        }
        return sb.toString();
    }
}
