// Package sconn is the Go-idiomatic face of sconn, a userspace SCTP stack,
// for programs that want associations and streams rather than usrsctp's
// socket API (package conn).
//
// An Association runs over any packet-oriented net.Conn — typically a DTLS
// connection, where each Read returns one SCTP packet (Client, Server) — or
// over SCTP-over-UDP (DialUDP, ListenUDP with package conn/udp), or over any
// conn.Stack and handle (Dial, Listen):
//
//	a, err := sconn.Client(ctx, dtlsConn, nil)
//	st, err := a.OpenStream()
//	st.Write([]byte("hello"))
//
//	b, err := sconn.Server(ctx, dtlsConn, nil)
//	st, err := b.AcceptStream(ctx)
//	n, err := st.Read(buf)
//
// A Stream is one SCTP stream used as an io.ReadWriteCloser: each Write
// sends one message and Read returns the bytes of the messages in order (a
// message larger than the buffer continues in the next Read; ReadMessage
// returns whole messages with their PPID). ReadContext, WriteContext,
// OpenStream and AcceptStream take a context. BufferedAmount and
// OnBufferedAmountLow give WebRTC-style send flow control.
//
// SCTP has no stream set-up: opening a stream sends nothing, and the peer
// sees a new stream (AcceptStream) when its first message arrives. The
// side that dials uses even stream identifiers and the side that accepts
// odd ones (as WebRTC's DTLS client and server do, RFC 8832), so both may
// open streams without clashing. Closing a Stream only stops its local use
// (stream reset, RFC 6525, is not wired to the facade yet): the peer is not
// told, and later messages on it are discarded.
//
// The facade starts no goroutine per association or stream: received
// messages are pulled from the socket by its upcalls into per-stream queues
// of bounded total size (Config.ReadBufferSize), so a reader that does not
// keep up slows the sender through SCTP's receive window. Over a net.Conn
// one goroutine reads the connection and one writes it.
package sconn
