package bot

import (
	"fmt"
	"html"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// The fuzz target of the conversation: any stored conversation (states
// and steps the code no longer or never wrote included), any input and
// any world go through next, and settle after it. Run longer with
//
//	go test ./bot -run '^$' -fuzz '^FuzzNext$' -fuzztime 10m

var (
	fuzzStates   = []string{stIdle, stConsent, stBatch, stField, stSummary, stEditPick, stDone, stFull, stCancel, stErase, "", "legacy"}
	fuzzBatches  = []string{"", "angkatan-1", "angkatan-2", "angkatan-3", "angkatan-9"}
	fuzzLangs    = []string{"id", "en", "", "fr"}
	fuzzCommands = []string{"start", "batal", "cancel", "bantuan", "help", "status", "dataku", "mydata", "hapusdata", "deletedata",
		"tarikpersetujuan", "withdraw", "bahasa", "language", "umumkan", "ekspor", ""}
	fuzzActions = []string{actRegister, actConsent, actDecline, actBatch, actOption, actBack, actCancel, actSkip, actConfirm, actEdit,
		actField, actLang, actJoin, actAccept, actRefuse, actCancelReg, actLeave, actAmend, actErase, "zz"}
	fuzzResults = []error{nil, store.ErrAlreadyRegistered, store.ErrAlreadyWaiting, store.ErrBatchFull, store.ErrNoOffer, store.ErrNotFound}
)

// fuzzCourse is the test course with two open batches and, besides its
// four questions, an optional text, a date and an optional number.
func fuzzCourse() store.Course {
	c := testCourse("angkatan-2", "angkatan-3")
	c.Fields = append(c.Fields,
		store.Field{Key: "birth_date", Kind: store.KindDate, Label: "Tanggal lahir"},
		store.Field{Key: "age", Kind: store.KindNumber, Label: "Umur", Min: 17, Max: 70, Optional: true},
		store.Field{Key: "note", Kind: store.KindText, Label: "Catatan <opsional>", Optional: true, Max: 200},
	)
	return c
}

// fuzzCatalogue is every text the bot has before anything is filled in:
// a fuzzed text found in it proves nothing about escaping.
var fuzzCatalogue = sync.OnceValue(func() string {
	var b strings.Builder
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			b.WriteString(v.String() + "\x00")
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(*messages("id")))
	walk(reflect.ValueOf(*messages("en")))
	c := fuzzCourse()
	for _, s := range []string{c.Title, c.Organiser, c.Venue} {
		b.WriteString(s + "\x00")
	}
	return b.String()
})

// fuzzHTML reports what makes s more than Telegram's HTML allows the bot:
// <b>, <i> and the five escapes, nothing bare.
func fuzzHTML(s string) error {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			ok := false
			for _, tag := range []string{"<b>", "</b>", "<i>", "</i>"} {
				if strings.HasPrefix(s[i:], tag) {
					i += len(tag) - 1
					ok = true
					break
				}
			}
			if !ok {
				return fmt.Errorf("a bare or unknown tag at %d: %.20q", i, s[i:])
			}
		case '>':
			return fmt.Errorf("a bare '>' at %d", i)
		case '&':
			ok := false
			for _, ent := range []string{"&lt;", "&gt;", "&amp;", "&quot;", "&#39;", "&#34;"} {
				if strings.HasPrefix(s[i:], ent) {
					ok = true
					break
				}
			}
			if !ok {
				return fmt.Errorf("a bare '&' at %d: %.20q", i, s[i:])
			}
		}
	}
	return nil
}

// fuzzLength is the length of HTML text s as Telegram counts it: the
// text without tags and with entities decoded, in UTF-16 units.
func fuzzLength(s string) int {
	plain := html.UnescapeString(strings.NewReplacer("<b>", "", "</b>", "", "<i>", "", "</i>", "").Replace(s))
	return len(utf16.Encode([]rune(plain)))
}

// fuzzAnswer is text as the store can hold it for field f: no longer than
// the form lets anyone type.
func fuzzAnswer(f store.Field, text string) string {
	limit := 20
	if f.Kind == store.KindText {
		limit = f.Max
	}
	if r := []rune(text); len(r) > limit {
		return string(r[:limit])
	}
	return text
}

// fuzzCheck checks an outcome of next or settle from conversation c with
// the fuzzed text: Step within the form, Seq never going back, replies
// Telegram takes, buttons whose data parses, and the text never raw.
func fuzzCheck(t *testing.T, what string, c store.Conversation, out outcome, w world, text string) {
	t.Helper()
	if out.conv.State == stField && (out.conv.Step < 0 || out.conv.Step >= len(w.course.Fields)) {
		t.Errorf("%s: at question step %d of a %d-question form (from %q step %d)", what, out.conv.Step, len(w.course.Fields), c.State, c.Step)
	}
	if out.conv.Seq < c.Seq {
		t.Errorf("%s: Seq went back from %d to %d", what, c.Seq, out.conv.Seq)
	}
	if out.conv.UserID != c.UserID || out.conv.ChatID != c.ChatID {
		t.Errorf("%s: the conversation of %d/%d became %d/%d", what, c.UserID, c.ChatID, out.conv.UserID, out.conv.ChatID)
	}
	raw := strings.ContainsAny(text, "<>") && !strings.Contains(fuzzCatalogue(), text)
	for i, r := range out.replies {
		if strings.TrimSpace(r.Text) == "" {
			t.Errorf("%s: reply %d is empty", what, i)
		}
		if n := fuzzLength(r.Text); n > telegram.MaxText {
			t.Errorf("%s: reply %d has %d characters, Telegram takes %d", what, i, n, telegram.MaxText)
		}
		if err := fuzzHTML(r.Text); err != nil {
			t.Errorf("%s: reply %d is not Telegram HTML: %v\n%s", what, i, err, r.Text)
		}
		if raw && strings.Contains(r.Text, text) {
			t.Errorf("%s: reply %d shows the typed %q unescaped:\n%s", what, i, text, r.Text)
		}
		for _, row := range append(append([][]button(nil), r.Inline...), r.Keyboard...) {
			for _, b := range row {
				if b.Text == "" {
					t.Errorf("%s: reply %d has a button without a label", what, i)
				}
				if b.Data == "" {
					continue
				}
				if len(b.Data) > maxCallbackData {
					t.Errorf("%s: callback data %q is %d bytes, Telegram takes %d", what, b.Data, len(b.Data), maxCallbackData)
				}
				if _, err := parseCallback(b.Data); err != nil {
					t.Errorf("%s: callback data %q does not parse: %v", what, b.Data, err)
				}
			}
		}
	}
}

// FuzzNext feeds the pure transition function conversations, inputs and
// worlds built from fuzzed bytes, and checks every outcome (fuzzCheck).
func FuzzNext(f *testing.F) {
	f.Add(uint8(0), "Siti Aminah", int64(0), uint8(0), "", uint8(3), 0, int64(5), uint8(0), uint8(0))
	f.Add(uint8(0), "<b>Siti</b> & Budi", int64(0), uint8(0), "", uint8(3), 0, int64(5), uint8(0), uint8(4))
	f.Add(uint8(1), "", int64(0), uint8(0), "angkatan-2", uint8(0), 0, int64(0), uint8(0), uint8(0))
	f.Add(uint8(3), "", int64(0), uint8(8), "", uint8(4), 6, int64(9), uint8(1), uint8(0x24))
	f.Add(uint8(3), "", int64(0), uint8(10), "9", uint8(5), -1, int64(9), uint8(0), uint8(0x25))
	f.Add(uint8(3), "", int64(0), uint8(4), "2", uint8(3), 3, int64(9), uint8(0), uint8(0x2c))
	f.Add(uint8(2), "+62 812 3456 7890", int64(0), uint8(0), "", uint8(3), 1, int64(4), uint8(0), uint8(1))
	f.Add(uint8(0), "17-08-1990", int64(0), uint8(0), "", uint8(3), 4, int64(4), uint8(1), uint8(0))
	f.Add(uint8(0), "Kembali", int64(0), uint8(0), "", uint8(3), 99, int64(1<<40), uint8(0), uint8(0xff))
	f.Add(uint8(1), "", int64(0), uint8(6), "", uint8(7), 0, int64(3), uint8(0), uint8(0x18))
	// A step the form no longer has (a question removed from the config)
	// or never had.
	f.Add(uint8(0), "Siti Aminah", int64(0), uint8(0), "", uint8(3), 9, int64(4), uint8(0), uint8(0))
	f.Add(uint8(0), "0", int64(0), uint8(0), "", uint8(3), -15, int64(4), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, kind uint8, text string, seqDelta int64, action uint8, arg string, state uint8, step int, seq int64, lang uint8, flags uint8) {
		course := fuzzCourse()
		seq = max(0, seq%(1<<40))
		c := store.Conversation{
			UserID: 42, ChatID: 42, Lang: fuzzLangs[int(lang)%len(fuzzLangs)],
			State: fuzzStates[int(state)%len(fuzzStates)], Step: step, Seq: seq,
			Batch:   fuzzBatches[int(flags>>5)%len(fuzzBatches)],
			Editing: flags&1 != 0, Amend: flags&2 != 0,
		}
		if flags&4 != 0 {
			c.Answers = map[string]string{}
			for _, fl := range course.Fields {
				c.Answers[fl.Key] = fuzzAnswer(fl, text)
			}
			c.ConsentAt = testNow.Add(-time.Hour)
		}
		w := testWorld(course)
		w.Waiting, w.Positions, w.Offers, w.Present = map[string]int{}, map[string]int{}, map[string]store.Offer{}, map[string]int{}
		w.Taken["angkatan-2"] = int(flags) % 20
		w.Blocked = flags&16 != 0
		if flags&8 != 0 {
			w.SignedUp = append(w.SignedUp, store.Participant{UserID: 42, ChatID: 42, Batch: "angkatan-2", Status: store.StatusRegistered, Seat: 3, Answers: map[string]string{"name": fuzzAnswer(course.Fields[0], text), "phone": fuzzAnswer(course.Fields[1], text)}, RegisteredAt: testNow})
		}
		if flags&16 != 0 {
			w.SignedUp = append(w.SignedUp, store.Participant{UserID: 42, ChatID: 42, Batch: "angkatan-3", Status: store.StatusWaiting, Answers: map[string]string{"name": fuzzAnswer(course.Fields[0], text)}})
			w.Positions["angkatan-3"], w.Waiting["angkatan-3"] = 2, 5
			if flags&2 != 0 {
				w.Offers["angkatan-3"] = store.Offer{UserID: 42, Until: testNow.Add(time.Hour)}
			}
		}

		var in input
		switch kind % 7 {
		case 0:
			in = input{kind: inText, text: text}
		case 1:
			in = input{kind: inCommand, command: fuzzCommands[int(action)%len(fuzzCommands)], arg: arg}
		case 2:
			in = input{kind: inContact, phone: text, ownContact: flags&1 == 0}
		case 3:
			cb := callback{Seq: seq + seqDelta%3, Action: fuzzActions[int(action)%len(fuzzActions)], Arg: arg}
			if _, err := parseCallback(cb.String()); err != nil {
				cb = callback{Seq: -1} // what the handler makes of data that does not parse
			}
			in = input{kind: inButton, button: cb}
		case 4:
			in = input{kind: inOther}
		case 5:
			in = input{kind: inTooLong}
		default:
			in = input{kind: inEdited}
		}

		out := next(c, in, w)
		fuzzCheck(t, fmt.Sprintf("next(%q step %d, %+v)", c.State, c.Step, in), c, out, w, text)
		if out.effect.kind == effNone {
			return
		}
		// The store carries the effect out in any of its ways.
		for _, err := range fuzzResults {
			r := result{err: err, pos: 1, p: store.Participant{Seat: 7}}
			if flags&8 != 0 {
				r.before = w.SignedUp[0]
			}
			s, serr := settle(out.conv, w, out.effect, r)
			if serr != nil {
				if err == nil || serr != err {
					t.Errorf("settle(%v) returned %v", err, serr)
				}
				continue
			}
			fuzzCheck(t, fmt.Sprintf("settle(effect %d, %v)", out.effect.kind, err), c, s, w, text)
		}
	})
}
