package callback

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Ensure that callback data written by the bot parses back, and that
// anything else is refused.
func TestParseCallback(t *testing.T) {
	for _, c := range []Data{
		{Seq: 0, Action: "reg"},
		{Seq: 12345, Action: "b", Arg: "angkatan-2"},
		{Seq: 1 << 40, Action: "o", Arg: "3"},
	} {
		got, err := Parse(c.String())
		if err != nil || got != c {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.String(), got, err, c)
		}
		if len(c.String()) > MaxLen {
			t.Errorf("%q is longer than Telegram allows", c.String())
		}
	}
	for _, bad := range []string{
		"", "reg", ":reg", "-1:reg", "zz:", "1:REG", "1:reg:<b>", "1:b:" + strings.Repeat("a", 41),
		strings.Repeat("1", 65), "1:reg:x:y", "1:re g", "1:\x00", "\xff:reg",
	} {
		if c, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", bad, c)
		}
	}
}

// callbackSyntax is what Data.String writes, checked apart from
// parseCallback: a sequence number in base 36 without sign or leading
// zeros, an action and maybe an argument, each of lowercase letters,
// digits, "-" and "_" (at most 40), in at most 64 bytes.
var callbackSyntax = regexp.MustCompile(`^(0|[1-9a-z][0-9a-z]*):([0-9a-z_-]{1,40})(?::([0-9a-z_-]{1,40}))?$`)

// FuzzParseCallback checks that callback data parses exactly when it is
// what Data.String writes (callbackSyntax, a sequence number within
// int64), and then to a callback that writes back the same data.
func FuzzParseCallback(f *testing.F) {
	for _, s := range []string{"0:reg", "a:b:angkatan-1", "zz:o:12", "1:lang:en", "", ":", "1::", "9999999999999999:ok",
		"01:reg", "+1:reg", "A:reg", "1y2p0ij32e8e7:ok", "1y2p0ij32e8e8:ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		m := callbackSyntax.FindStringSubmatch(data)
		valid := m != nil && len(data) <= MaxLen
		if valid {
			_, err := strconv.ParseInt(m[1], 36, 64)
			valid = err == nil
		}
		c, err := Parse(data)
		if err != nil {
			if valid {
				t.Fatalf("%q is callback data the bot can write, and does not parse: %v", data, err)
			}
			return
		}
		if !valid {
			t.Fatalf("%q parsed to %+v, but the bot never writes it", data, c)
		}
		if got := c.String(); got != data {
			t.Fatalf("%q parsed to %+v, which writes %q", data, c, got)
		}
		again, err := Parse(c.String())
		if err != nil || again != c {
			t.Fatalf("%q: %+v does not round-trip: %+v, %v", data, c, again, err)
		}
	})
}

// Ensure that Index accepts exactly the numbers 0..n-1 as String would
// write them.
func TestIndex(t *testing.T) {
	for _, c := range []struct {
		arg  string
		n    int
		want int
		ok   bool
	}{
		{"0", 3, 0, true}, {"2", 3, 2, true}, {"3", 3, 0, false}, {"-1", 3, 0, false},
		{"01", 3, 0, false}, {"+1", 3, 0, false}, {"", 3, 0, false}, {"x", 3, 0, false}, {"0", 0, 0, false},
	} {
		if got, ok := Index(c.arg, c.n); got != c.want || ok != c.ok {
			t.Errorf("Index(%q, %d) = %d, %v; want %d, %v", c.arg, c.n, got, ok, c.want, c.ok)
		}
	}
}
