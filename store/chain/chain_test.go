package chain

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"
)

func sample() History {
	from := "reported"
	actor := int64(7)
	return History{ExhibitID: 42, Seq: 3, Event: "recommend", From: &from, To: "district_recommended",
		ActorID: &actor, Actor: "wanzhou", Role: "district", Reason: "推荐", Data: []byte(`{"a": 1}`),
		At: time.Date(2022, 7, 1, 2, 3, 4, 567000, time.UTC), ClientAddr: "10.1.2.3", RequestID: "host/abc-000001",
		PrevHash: make([]byte, Size)}
}

// The encoding is the format of every stored hash: changing it by accident
// would make every existing history fail verification. The expected values
// were also computed by an independent Python implementation of the encoding.
func TestHistoryHashIsStable(t *testing.T) {
	r := sample()
	sum, _ := NewHasher(nil).HistoryHash(&r, nil)
	keyed, _ := NewHasher([]byte("k")).HistoryHash(&r, nil)
	for _, c := range []struct{ name, got, want string }{
		{"sha256", hex.EncodeToString(sum[:]), goldenPlain},
		{"hmac", hex.EncodeToString(keyed[:]), goldenKeyed},
	} {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s", c.name, c.got, c.want)
		}
	}
}

const (
	goldenPlain = "d9d966728eee2ce9b5753f16d7462c46ddd91ee152e75d917f062c5a16dcdfed"
	goldenKeyed = "2d8877c471ff48d02be3d61fa6c061facfdb7d3529690ba2c009bc1216d53b85"
)

// Different rows never encode alike: moving bytes between fields, NULL against
// empty, a different key or previous hash all change the hash.
func TestHistoryHashSeparatesFields(t *testing.T) {
	h := NewHasher(nil)
	base := sample()
	sum := func(r History) [Size]byte { s, _ := h.HistoryHash(&r, nil); return s }
	want := sum(base)
	empty, zero := "", int64(0)
	for name, change := range map[string]func(*History){
		"actor/role boundary": func(r *History) { r.Actor, r.Role = "wanzhoud", "istrict" },
		"from NULL":           func(r *History) { r.From = nil },
		"from empty":          func(r *History) { r.From = &empty },
		"actor NULL":          func(r *History) { r.ActorID = nil },
		"actor 0":             func(r *History) { r.ActorID = &zero },
		"no prev":             func(r *History) { r.PrevHash = nil },
		"a microsecond":       func(r *History) { r.At = r.At.Add(time.Microsecond) },
		"exhibit":             func(r *History) { r.ExhibitID++ },
		"seq":                 func(r *History) { r.Seq++ },
		"data":                func(r *History) { r.Data = []byte(`{"a": 2}`) },
		"request id":          func(r *History) { r.RequestID = "" },
	} {
		r := base
		change(&r)
		if sum(r) == want {
			t.Errorf("%s: same hash", name)
		}
	}
	a, _ := NewHasher([]byte("one")).HistoryHash(&base, nil)
	b, _ := NewHasher([]byte("two")).HistoryHash(&base, nil)
	if a == b || a == want {
		t.Error("the key does not change the hash")
	}
}

// The HMAC computed from the padded key blocks is crypto/hmac's, for short,
// block-sized and long keys.
func TestKeyedHashIsHMAC(t *testing.T) {
	r := sample()
	_, enc := NewHasher(nil).HistoryHash(&r, nil)
	for _, n := range []int{1, 32, 64, 65, 200} {
		key := bytes.Repeat([]byte{'k'}, n)
		got, _ := NewHasher(key).HistoryHash(&r, nil)
		m := hmac.New(sha256.New, key)
		m.Write(enc)
		if want := m.Sum(nil); !bytes.Equal(got[:], want) {
			t.Errorf("key of %d bytes: %x, want %x", n, got, want)
		}
	}
}

func TestAuditAndHistoryNeverCollide(t *testing.T) {
	h := NewHasher(nil)
	a := Audit{At: time.Unix(0, 0)}
	r := History{At: time.Unix(0, 0)}
	x, _ := h.AuditHash(&a, nil)
	y, _ := h.HistoryHash(&r, nil)
	if x == y {
		t.Fatal("an empty audit record and an empty history row hash alike")
	}
}

func TestHeadsDigestCoversMarksAndOrder(t *testing.T) {
	heads := []Head{{ExhibitID: 1, Seq: 3, Hash: []byte{1}}, {ExhibitID: 2, Seq: 1, Hash: []byte{2}}}
	d := HeadsDigest(10, 5, heads)
	if d == HeadsDigest(11, 5, heads) || d == HeadsDigest(10, 6, heads) {
		t.Error("the watermarks do not count")
	}
	if d == HeadsDigest(10, 5, []Head{heads[1], heads[0]}) || d == HeadsDigest(10, 5, heads[:1]) {
		t.Error("the heads do not count")
	}
}

func BenchmarkHistoryHash(b *testing.B) {
	for _, key := range []string{"", "key"} {
		h, r := NewHasher([]byte(key)), sample()
		b.Run("keyed="+map[bool]string{true: "yes", false: "no"}[key != ""], func(b *testing.B) {
			var buf []byte
			b.ReportAllocs()
			for b.Loop() {
				_, buf = h.HistoryHash(&r, buf)
			}
		})
	}
}
