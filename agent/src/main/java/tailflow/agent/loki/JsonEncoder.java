package tailflow.agent.loki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import tailflow.agent.pipeline.Labels;

/**
 * Encodes (part of) a {@link Batch} as Loki's JSON push body,
 * {@code {"streams":[{"stream":{...},"values":[["<ns>","line"],["<ns>","line",{"structured":"metadata"}],...]}]}},
 * gzip-compressed
 * (sent with {@code Content-Encoding: gzip}). The slower, debuggable alternative to protobuf.
 */
public final class JsonEncoder {

    public byte[] encode(Batch batch, int from, int to) {
        return encode(batch, from, to, false, null);
    }

    /** Entries [from, to) of the streams of {@code tenant} only (null: the client's own). */
    public byte[] encode(Batch batch, int from, int to, String tenant) {
        return encode(batch, from, to, true, tenant);
    }

    private byte[] encode(Batch batch, int from, int to, boolean oneTenant, String tenant) {
        StringBuilder sb = new StringBuilder(64 + (int) Math.min(Integer.MAX_VALUE / 2, batch.lineBytes() * 11 / 10));
        sb.append("{\"streams\":[");
        boolean firstStream = true;
        for (int s = 0; s < batch.streamCount(); s++) {
            if (oneTenant && !java.util.Objects.equals(batch.streamTenant(s), tenant)) {
                continue;
            }
            boolean any = false;
            for (int e = from; e < to; e++) {
                if (batch.streamOf(e) != s) {
                    continue;
                }
                if (!any) {
                    sb.append(firstStream ? "" : ",").append("{\"stream\":{");
                    firstStream = false;
                    appendLabels(sb, batch.streamLabels(s));
                    sb.append("},\"values\":[");
                    any = true;
                } else {
                    sb.append(',');
                }
                sb.append("[\"").append(batch.timestamp(e)).append("\",");
                string(sb, batch.line(e));
                Labels metadata = batch.structuredMetadata(e);
                if (!metadata.isEmpty()) {
                    sb.append(",{");
                    appendLabels(sb, metadata);
                    sb.append('}');
                }
                sb.append(']');
            }
            if (any) {
                sb.append("]}");
            }
        }
        sb.append("]}");
        ByteArrayOutputStream out = new ByteArrayOutputStream(sb.length() / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes labels as {@code "a":"x","b":"y"}. */
    static void appendLabels(StringBuilder sb, Labels labels) {
        for (int i = 0; i < labels.size(); i++) {
            sb.append(i == 0 ? "" : ",");
            string(sb, labels.name(i));
            sb.append(':');
            string(sb, labels.value(i));
        }
    }

    static void string(StringBuilder sb, String s) {
        tailflow.agent.pipeline.JsonString.append(sb, s);
    }
}
