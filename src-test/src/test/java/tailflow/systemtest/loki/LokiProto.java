package tailflow.systemtest.loki;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;

/**
 * Loki's {@code logproto} push messages as protobuf-java descriptors, built programmatically
 * from the schema in specs/loki-push.md (no protoc): the independent encoder/decoder that the
 * receiver's hand-written decoder and the agent's hand-written encoder are checked against.
 * {@code google.protobuf.Timestamp} is declared locally with the same field numbers and types,
 * which is wire-identical.
 */
public final class LokiProto {

    public final Descriptor pushRequest;
    public final Descriptor streamAdapter;
    public final Descriptor entryAdapter;
    public final Descriptor timestamp;
    public final Descriptor labelPair;

    public LokiProto() {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("logproto/push.proto").setPackage("logproto").setSyntax("proto3")
                .addMessageType(message("Timestamp", field("seconds", 1, Type.TYPE_INT64, null, false),
                        field("nanos", 2, Type.TYPE_INT32, null, false)))
                .addMessageType(message("LabelPairAdapter", field("name", 1, Type.TYPE_STRING, null, false),
                        field("value", 2, Type.TYPE_STRING, null, false)))
                .addMessageType(message("EntryAdapter", field("timestamp", 1, Type.TYPE_MESSAGE, ".logproto.Timestamp", false),
                        field("line", 2, Type.TYPE_STRING, null, false),
                        field("structuredMetadata", 3, Type.TYPE_MESSAGE, ".logproto.LabelPairAdapter", true)))
                .addMessageType(message("StreamAdapter", field("labels", 1, Type.TYPE_STRING, null, false),
                        field("entries", 2, Type.TYPE_MESSAGE, ".logproto.EntryAdapter", true),
                        field("hash", 3, Type.TYPE_UINT64, null, false)))
                .addMessageType(message("PushRequest", field("streams", 1, Type.TYPE_MESSAGE, ".logproto.StreamAdapter", true)))
                .build();
        Descriptors.FileDescriptor fd;
        try {
            fd = Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]);
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
        timestamp = fd.findMessageTypeByName("Timestamp");
        labelPair = fd.findMessageTypeByName("LabelPairAdapter");
        entryAdapter = fd.findMessageTypeByName("EntryAdapter");
        streamAdapter = fd.findMessageTypeByName("StreamAdapter");
        pushRequest = fd.findMessageTypeByName("PushRequest");
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) {
            b.addField(f);
        }
        return b.build();
    }

    private static FieldDescriptorProto field(String name, int number, Type type, String typeName, boolean repeated) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL);
        if (typeName != null) {
            b.setTypeName(typeName);
        }
        return b.build();
    }

    /** One entry for {@link #request}. */
    public record E(long timestampNanos, String line) {}

    /** Builds a PushRequest with protobuf-java: streams in order, each with its entries. */
    public DynamicMessage request(java.util.Map<String, java.util.List<E>> streams) {
        DynamicMessage.Builder req = DynamicMessage.newBuilder(pushRequest);
        streams.forEach((labels, entries) -> {
            DynamicMessage.Builder s = DynamicMessage.newBuilder(streamAdapter)
                    .setField(streamAdapter.findFieldByName("labels"), labels);
            for (E e : entries) {
                DynamicMessage ts = DynamicMessage.newBuilder(timestamp)
                        .setField(timestamp.findFieldByName("seconds"), Math.floorDiv(e.timestampNanos(), 1_000_000_000L))
                        .setField(timestamp.findFieldByName("nanos"), (int) Math.floorMod(e.timestampNanos(), 1_000_000_000L))
                        .build();
                s.addRepeatedField(streamAdapter.findFieldByName("entries"), DynamicMessage.newBuilder(entryAdapter)
                        .setField(entryAdapter.findFieldByName("timestamp"), ts)
                        .setField(entryAdapter.findFieldByName("line"), e.line())
                        .build());
            }
            req.addRepeatedField(pushRequest.findFieldByName("streams"), s.build());
        });
        return req.build();
    }
}
