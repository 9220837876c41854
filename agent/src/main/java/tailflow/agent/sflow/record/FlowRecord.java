package tailflow.agent.sflow.record;

/** A record inside an expanded flow sample (0:3). */
public sealed interface FlowRecord extends SflowRecord permits RawPacketHeader, ExtendedTimestamp, TcpInfo, UnknownRecord {}
