package telegramtest

import (
	"encoding/json"
	"testing"
)

// Ensure that appendJSON writes the bytes encoding/json writes, for the
// values the server's answers and updates are made of.
func TestAppendJSON(t *testing.T) {
	raw := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var every []byte
	for c := range 256 {
		every = append(every, byte(c))
	}
	values := []any{
		nil, true, false, 0, -42, int64(1) << 60, "",
		string(every), "Halo <b>Budi</b> & \"Ani\"\\", "\u2028\u2029 é 😀 \xff\xfe tail", "\b\f\n\r\t\x00\x1f\x7f",
		map[string]any{},
		map[string]any{"ok": true, "result": map[string]any{"message_id": int64(7), "chat": map[string]any{"id": int64(-100), "type": "group", "title": "Test <Group>"}, "text": "x"}},
		map[string]any{"b": []any{1, "two", map[string]any{"z": nil, "a": []any{}}}, "a": 1.5, "c": []string{"x"}},
		map[string]any{"reply_markup": map[string]any{"inline_keyboard": [][]Button{{{Text: "Ya", CallbackData: "a:1"}}}}},
		queuedUpdates{raw(map[string]any{"update_id": 1, "message": map[string]any{"text": "<a>"}}), raw(map[string]any{"update_id": 2})},
		queuedUpdates{},
		map[string]any{"ok": true, "result": queuedUpdates{raw(map[string]any{"update_id": 3})}},
	}
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendJSON([]byte("prefix"), v)
		if err != nil {
			t.Fatalf("appendJSON(%#v): %v", v, err)
		}
		if string(got) != "prefix"+string(want) {
			t.Errorf("appendJSON(%#v)\n got %s\nwant %s", v, got[len("prefix"):], want)
		}
	}
}

// Ensure that appendJSON writes every string as encoding/json does.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a<b>&c", "\xff", "\u2028", "\x00\"\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}
