// Package chain computes the hashes that make bayu's history tamper-evident.
//
// Every history row and every audit record stores the hash of the row before it
// in its chain and its own hash, computed over a canonical binary encoding of its
// fields. The encoding is length-prefixed, so no two different rows encode alike
// (“ab”+“c” is not “a”+“bc”, NULL is not the empty text), and it does not depend
// on how a JSON encoder happens to order or space things. With a key, the hash
// is an HMAC: then even a database superuser who rewrites every row and
// recomputes every hash cannot produce hashes the verifier accepts.
//
// migrations/00030_history_chain.sql repeats the history encoding in SQL for rows
// written before the chain existed; TestLegacyRowsAreSealed keeps the two equal.
package chain

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// Size is the length of every hash in bytes.
const Size = sha256.Size

// Domain tags start every encoding, so a history row can never be passed off as
// an audit record or a heads digest, whatever its fields contain.
const (
	historyTag = "bayu.history.v1"
	auditTag   = "bayu.audit.v1"
	headsTag   = "bayu.heads.v1"
)

// Hasher hashes rows: SHA-256 without a key, HMAC-SHA-256 (RFC 2104) with one.
// It is safe for concurrent use.
type Hasher struct {
	// ipad and opad are the key's two padded blocks, nil without a key. The
	// HMAC is computed from them directly, so hashing a row allocates nothing:
	// verifying a million rows spends its time hashing, not collecting garbage.
	ipad, opad []byte
}

// NewHasher returns a hasher; an empty key means plain SHA-256.
func NewHasher(key []byte) Hasher {
	if len(key) == 0 {
		return Hasher{}
	}
	if len(key) > sha256.BlockSize {
		k := sha256.Sum256(key)
		key = k[:]
	}
	h := Hasher{ipad: make([]byte, sha256.BlockSize), opad: make([]byte, sha256.BlockSize)}
	copy(h.ipad, key)
	copy(h.opad, key)
	for i := range h.ipad {
		h.ipad[i] ^= 0x36
		h.opad[i] ^= 0x5c
	}
	return h
}

// Keyed reports whether the hasher uses a key.
func (h Hasher) Keyed() bool { return h.ipad != nil }

// Unkeyed returns the plain SHA-256 hasher, for rows sealed before a key existed.
func (h Hasher) Unkeyed() Hasher { return Hasher{} }

// start begins an encoding; with a key it starts with the inner padded block.
func (h Hasher) start(buf []byte) encoder { return append(buf[:0], h.ipad...) }

// History is the part of an exhibit_history row the hash covers: everything
// but the surrogate id and the hash itself.
type History struct {
	ExhibitID  int64
	Seq        int64
	Event      string
	From       *string // nil only for the creation row
	To         string
	ActorID    *int64
	Actor      string
	Role       string
	Reason     string
	Data       []byte // the jsonb value as PostgreSQL prints it (data::text)
	At         time.Time
	ClientAddr string
	RequestID  string
	PrevHash   []byte // nil for the first row of a chain
}

// Audit is the part of an audit_log row the hash covers.
type Audit struct {
	Seq        int64
	At         time.Time
	ActorID    *int64
	Actor      string
	Role       string
	Event      string
	Outcome    string
	ObjectType string
	ObjectID   string
	Reason     string
	Detail     []byte // the jsonb value as PostgreSQL prints it (detail::text)
	ClientAddr string
	RequestID  string
	PrevHash   []byte
}

// HistoryHash returns the hash of a history row; buf is reused when large enough.
func (h Hasher) HistoryHash(r *History, buf []byte) (sum [Size]byte, out []byte) {
	e := h.start(buf)
	e.text(historyTag)
	e.int(r.ExhibitID)
	e.int(r.Seq)
	e.text(r.Event)
	e.nullText(r.From)
	e.text(r.To)
	e.nullInt(r.ActorID)
	e.text(r.Actor)
	e.text(r.Role)
	e.text(r.Reason)
	e.bytes(r.Data)
	e.int(r.At.UnixMicro())
	e.text(r.ClientAddr)
	e.text(r.RequestID)
	e.bytes(r.PrevHash)
	return h.sum(e), e
}

// AuditHash returns the hash of an audit record; buf is reused when large enough.
func (h Hasher) AuditHash(r *Audit, buf []byte) (sum [Size]byte, out []byte) {
	e := h.start(buf)
	e.text(auditTag)
	e.int(r.Seq)
	e.int(r.At.UnixMicro())
	e.nullInt(r.ActorID)
	e.text(r.Actor)
	e.text(r.Role)
	e.text(r.Event)
	e.text(r.Outcome)
	e.text(r.ObjectType)
	e.text(r.ObjectID)
	e.text(r.Reason)
	e.bytes(r.Detail)
	e.text(r.ClientAddr)
	e.text(r.RequestID)
	e.bytes(r.PrevHash)
	return h.sum(e), e
}

// sum hashes an encoding begun by start: SHA-256(ipad ‖ m) is already the
// inner hash, the outer one is SHA-256(opad ‖ inner).
func (h Hasher) sum(b []byte) [Size]byte {
	inner := sha256.Sum256(b)
	if !h.Keyed() {
		return inner
	}
	var outer [sha256.BlockSize + Size]byte
	copy(outer[:], h.opad)
	copy(outer[sha256.BlockSize:], inner[:])
	return sha256.Sum256(outer[:])
}

// Head is the last row of one chain as of some moment.
type Head struct {
	ExhibitID int64 // 0 for the audit log
	Seq       int64
	Hash      []byte
}

// HeadsDigest condenses the heads of every chain, in the order given (callers
// sort by exhibit id, the audit log last), and the watermarks they were taken at.
// It is plain SHA-256: the heads are already keyed hashes when a key is set,
// and the digest must be checkable by anyone holding a copy of it.
func HeadsDigest(historyMark, auditMark int64, heads []Head) [Size]byte {
	d := sha256.New()
	e := encoder(make([]byte, 0, 64))
	e.text(headsTag)
	e.int(historyMark)
	e.int(auditMark)
	e.int(int64(len(heads)))
	d.Write(e)
	for _, h := range heads {
		e = e[:0]
		e.int(h.ExhibitID)
		e.int(h.Seq)
		e.bytes(h.Hash)
		d.Write(e)
	}
	var out [Size]byte
	d.Sum(out[:0])
	return out
}

// encoder appends fields: integers as 8 big-endian bytes, texts and byte
// strings as a 4-byte big-endian length and the bytes, nullable values with a
// leading 0 (NULL) or 1 (present) byte.
type encoder []byte

func (e *encoder) int(n int64) { *e = binary.BigEndian.AppendUint64(*e, uint64(n)) }

func (e *encoder) bytes(b []byte) {
	*e = binary.BigEndian.AppendUint32(*e, uint32(len(b)))
	*e = append(*e, b...)
}

func (e *encoder) text(s string) {
	*e = binary.BigEndian.AppendUint32(*e, uint32(len(s)))
	*e = append(*e, s...)
}

func (e *encoder) nullText(s *string) {
	if s == nil {
		*e = append(*e, 0)
		return
	}
	*e = append(*e, 1)
	e.text(*s)
}

func (e *encoder) nullInt(n *int64) {
	if n == nil {
		*e = append(*e, 0)
		return
	}
	*e = append(*e, 1)
	e.int(*n)
}
