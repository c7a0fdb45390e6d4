package bot

import (
	"strings"
	"testing"
)

// Ensure that callback data written by the bot parses back, and that
// anything else is refused.
func TestParseCallback(t *testing.T) {
	for _, c := range []callback{
		{Seq: 0, Action: actRegister},
		{Seq: 12345, Action: actBatch, Arg: "angkatan-2"},
		{Seq: 1 << 40, Action: actOption, Arg: "3"},
	} {
		got, err := parseCallback(c.String())
		if err != nil || got != c {
			t.Errorf("parseCallback(%q) = %+v, %v; want %+v", c.String(), got, err, c)
		}
		if len(c.String()) > maxCallbackData {
			t.Errorf("%q is longer than Telegram allows", c.String())
		}
	}
	for _, bad := range []string{
		"", "reg", ":reg", "-1:reg", "zz:", "1:REG", "1:reg:<b>", "1:b:" + strings.Repeat("a", 41),
		strings.Repeat("1", 65), "1:reg:x:y", "1:re g", "1:\x00", "\xff:reg",
	} {
		if c, err := parseCallback(bad); err == nil {
			t.Errorf("parseCallback(%q) = %+v, want an error", bad, c)
		}
	}
}

// FuzzParseCallback checks that any callback data either fails to parse
// or parses to something that writes back to the same data.
func FuzzParseCallback(f *testing.F) {
	for _, s := range []string{"0:reg", "a:b:angkatan-1", "zz:o:12", "1:lang:en", "", ":", "1::", "9999999999999999:ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		c, err := parseCallback(data)
		if err != nil {
			return
		}
		if got := c.String(); len(got) > maxCallbackData {
			t.Fatalf("%q parsed to %+v which writes %q, too long", data, c, got)
		}
		again, err := parseCallback(c.String())
		if err != nil || again != c {
			t.Fatalf("%q: %+v does not round-trip: %+v, %v", data, c, again, err)
		}
	})
}
