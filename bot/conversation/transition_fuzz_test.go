package conversation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// The fuzz target of the conversation: any stored conversation (states
// and steps the code no longer or never wrote included), any input and
// any world go through next, and settle after it. Run longer with
//
//	go test ./bot -run '^$' -fuzz '^FuzzNext$' -fuzztime 10m

var (
	fuzzStates   = []string{StateIdle, StateConsent, StateBatch, StateField, StateSummary, StateEditPick, StateDone, StateFull, StateCancel, StateErase, "", "legacy"}
	fuzzBatches  = []string{"", "angkatan-1", "angkatan-2", "angkatan-3", "angkatan-9", "las-1"}
	fuzzLangs    = []string{"id", "en", "", "fr"}
	fuzzCommands = []string{"start", "batal", "cancel", "bantuan", "help", "status", "dataku", "mydata", "hapusdata", "deletedata",
		"tarikpersetujuan", "withdraw", "bahasa", "language", "umumkan", "ekspor", ""}
	fuzzActions = []string{ActRegister, ActConsent, ActDecline, ActBatch, ActOption, ActBack, ActCancel, ActSkip, ActConfirm, ActEdit,
		ActField, ActLang, ActJoin, ActAccept, ActRefuse, ActCancelReg, ActLeave, ActAmend, ActErase, ActCourse, "zz",
		ActAttend, ActNotAttend, ActComing, ActNotComing}
	fuzzResults = []error{nil, store.ErrAlreadyRegistered, store.ErrAlreadyWaiting, store.ErrBatchFull, store.ErrNoOffer, store.ErrNotFound,
		store.ErrAlreadyApplied, store.ErrNotAsked}
)

// fuzzWelding is a second course: one open batch, three questions.
func fuzzWelding() store.Course {
	return store.Course{
		ID: "las", Title: "Pelatihan Las <Listrik>", Organiser: "UPT BLK", Venue: "Bengkel & Las", Location: jakarta, Language: "id", RetentionDays: 365,
		Batches: []store.Batch{{ID: "las-1", Name: "Gelombang 1", Start: time.Date(2027, 3, 1, 0, 0, 0, 0, jakarta), Days: 6, Capacity: 10, DailyStart: "07:30", DailyEnd: "14:00", Open: true}},
		Fields: []store.Field{
			{Key: "name", Kind: store.KindText, Label: "Nama", Min: 3, Max: 80},
			{Key: "welded", Kind: store.KindChoice, Label: "Pernah mengelas?", Options: []string{"Belum", "Sudah"}},
			{Key: "phone", Kind: store.KindPhone, Label: "HP", Optional: true},
		},
	}
}

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

// fuzzTags are the tags Telegram's HTML takes without attributes.
var fuzzTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "code": true, "pre": true, "tg-spoiler": true, "blockquote": true}

// fuzzParseHTML reads s as Telegram reads a message in HTML parse mode
// and returns the text people see: a tag is one of fuzzTags, closed in
// the order opened; an entity is &lt;, &gt;, &amp;, &quot; or numeric, and
// a '&' that starts none is itself, as is a bare '>'; a '<' starts a tag.
// The text must be UTF-8.
func fuzzParseHTML(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("not UTF-8")
	}
	var plain strings.Builder
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("an unclosed tag at %d: %.20q", i, s[i:])
			}
			tag := s[i+1 : i+end]
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if len(open) == 0 || open[len(open)-1] != name {
					return "", fmt.Errorf("an end tag </%s> at %d without its start (open: %v)", name, i, open)
				}
				open = open[:len(open)-1]
			} else {
				if !fuzzTags[tag] {
					return "", fmt.Errorf("an unsupported tag at %d: %.20q", i, s[i:])
				}
				open = append(open, tag)
			}
			i += end + 1
		case '&':
			if r, n := fuzzEntity(s[i:]); n > 0 {
				plain.WriteRune(r)
				i += n
				continue
			}
			plain.WriteByte('&')
			i++
		default:
			plain.WriteByte(s[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("tags left open: %v", open)
	}
	return plain.String(), nil
}

// fuzzEntity decodes the entity s begins with: the character and the
// entity's length, 0 when s starts none Telegram knows.
func fuzzEntity(s string) (rune, int) {
	for name, r := range map[string]rune{"&lt;": '<', "&gt;": '>', "&amp;": '&', "&quot;": '"'} {
		if strings.HasPrefix(s, name) {
			return r, len(name)
		}
	}
	end := strings.IndexByte(s, ';')
	if !strings.HasPrefix(s, "&#") || end < 3 {
		return 0, 0
	}
	base, digits := 10, s[2:end]
	if d, ok := strings.CutPrefix(digits, "x"); ok {
		base, digits = 16, d
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || n == 0 || !utf8.ValidRune(rune(n)) {
		return 0, 0
	}
	return rune(n), end + 1
}

// fuzzMarks stand in for the characters HTML gives a meaning to, in a
// second run of the same transition with every one of them in the typed
// text replaced by its mark. The marks are private-use characters the text
// does not contain: like the characters they replace they are no letter,
// digit, space or separator any parser knows, one rune and one UTF-16 unit
// each, so the second run takes the same way as the first. Where the
// first run shows the typed text, the second shows the marks: each must
// be there in the first escaped (as esc writes it) in a message's HTML
// and as typed in a button's label or a toast, which Telegram shows as
// plain text. Anything else is a character shown raw, escaped twice, or a
// transition that treats these characters unlike any other.
type fuzzMarks struct {
	typed       *strings.Replacer // the characters to their marks
	html, plain *strings.Replacer // the marks back, escaped or as typed
}

func newFuzzMarks(texts ...string) fuzzMarks {
	chars := []string{"<", ">", "&", "'", `"`}
	var typed, html, plain []string
	r := rune(0xE000)
	for _, c := range chars {
		for slices.ContainsFunc(texts, func(s string) bool { return strings.ContainsRune(s, r) }) {
			r++
		}
		m := string(r)
		r++
		typed = append(typed, c, m)
		html = append(html, m, esc(c))
		plain = append(plain, m, c)
	}
	return fuzzMarks{typed: strings.NewReplacer(typed...), html: strings.NewReplacer(html...), plain: strings.NewReplacer(plain...)}
}

// fuzzSame checks that out, the outcome of the run with the typed texts,
// is marked, the outcome of the run with their marks, with the marks put
// back (fuzzMarks).
func fuzzSame(t *testing.T, what string, m fuzzMarks, out, marked Outcome) {
	t.Helper()
	if len(out.Replies) != len(marked.Replies) || out.Effect.Kind != marked.Effect.Kind || out.Clear != marked.Clear ||
		out.Conv.State != marked.Conv.State || out.Conv.Step != marked.Conv.Step {
		t.Errorf("%s: with <>&'\" in the text replaced by other characters the transition went another way:\n%+v\n%+v", what, out, marked)
		return
	}
	for k, v := range marked.Conv.Answers {
		if got := out.Conv.Answers[k]; got != m.plain.Replace(v) {
			t.Errorf("%s: answer %s %q, with the characters marked %q", what, k, got, v)
		}
	}
	if want := m.plain.Replace(marked.Toast); out.Toast != want {
		t.Errorf("%s: toast %q, want %q", what, out.Toast, want)
	}
	for i, r := range out.Replies {
		mr := marked.Replies[i]
		if want := m.html.Replace(mr.Text); r.Text != want {
			t.Errorf("%s: reply %d shows the typed text unlike esc does:\n%s\nwant\n%s", what, i, r.Text, want)
		}
		rows, mrows := append(slices.Clone(r.Inline), r.Keyboard...), append(slices.Clone(mr.Inline), mr.Keyboard...)
		if len(rows) != len(mrows) {
			t.Errorf("%s: reply %d has %d rows of buttons, with the characters marked %d", what, i, len(rows), len(mrows))
			continue
		}
		for j, row := range rows {
			if len(row) != len(mrows[j]) {
				t.Errorf("%s: reply %d row %d has %d buttons, with the characters marked %d", what, i, j, len(row), len(mrows[j]))
				continue
			}
			for k, b := range row {
				mb := mrows[j][k]
				if b.Text != m.plain.Replace(mb.Text) || b.Data != m.plain.Replace(mb.Data) || b.Contact != mb.Contact {
					t.Errorf("%s: reply %d button %q (%q), with the characters marked %q (%q)", what, i, b.Text, b.Data, mb.Text, mb.Data)
				}
			}
		}
	}
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

// fuzzCheck checks an outcome of next or settle from conversation c:
// Step within the form, Seq never going back, replies Telegram takes and
// buttons whose data parses. fuzzSame checks the typed text is escaped.
func fuzzCheck(t *testing.T, what string, c store.Conversation, out Outcome, w World) {
	t.Helper()
	if out.Conv.State == StateField && (out.Conv.Step < 0 || out.Conv.Step >= len(w.Course.Fields)) {
		t.Errorf("%s: at question step %d of a %d-question form (from %q step %d)", what, out.Conv.Step, len(w.Course.Fields), c.State, c.Step)
	}
	if out.Conv.Seq < c.Seq {
		t.Errorf("%s: Seq went back from %d to %d", what, c.Seq, out.Conv.Seq)
	}
	if out.Conv.UserID != c.UserID || out.Conv.ChatID != c.ChatID {
		t.Errorf("%s: the conversation of %d/%d became %d/%d", what, c.UserID, c.ChatID, out.Conv.UserID, out.Conv.ChatID)
	}
	for i, r := range out.Replies {
		plain, err := fuzzParseHTML(r.Text)
		if err != nil {
			t.Errorf("%s: reply %d is not Telegram HTML: %v\n%s", what, i, err, r.Text)
		} else if strings.TrimSpace(plain) == "" {
			t.Errorf("%s: reply %d shows no text", what, i)
		}
		if n := len(utf16.Encode([]rune(plain))); n > telegram.MaxText {
			t.Errorf("%s: reply %d has %d characters, Telegram takes %d", what, i, n, telegram.MaxText)
		}
		for _, row := range append(append([][]button(nil), r.Inline...), r.Keyboard...) {
			for _, b := range row {
				if b.Text == "" {
					t.Errorf("%s: reply %d has a button without a label", what, i)
				}
				if b.Data == "" {
					continue
				}
				if len(b.Data) > callback.MaxLen {
					t.Errorf("%s: callback data %q is %d bytes, Telegram takes %d", what, b.Data, len(b.Data), callback.MaxLen)
				}
				if _, err := callback.Parse(b.Data); err != nil {
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
	// Two courses: /start with and without a link, a course chosen, the
	// welding form.
	f.Add(uint8(1), "", int64(0), uint8(0), "", uint8(0), 0, int64(3), uint8(0x80), uint8(0))
	f.Add(uint8(1), "", int64(0), uint8(0), "las-1", uint8(0), 0, int64(3), uint8(0x80), uint8(0x08))
	f.Add(uint8(3), "", int64(0), uint8(19), "las", uint8(0), 0, int64(3), uint8(0x80), uint8(0))
	f.Add(uint8(0), "Budi <Santoso>", int64(0), uint8(0), "", uint8(3), 0, int64(5), uint8(0xc0), uint8(0xa4))
	f.Fuzz(func(t *testing.T, kind uint8, text string, seqDelta int64, action uint8, arg string, state uint8, step int, seq int64, lang uint8, flags uint8) {
		seq = max(0, seq%(1<<40))
		// Telegram's JSON carries UTF-8 only: the client decodes anything
		// else to U+FFFD before the bot sees it, and stored answers went
		// through form.Parse, which does the same.
		text, arg = strings.ToValidUTF8(text, "\uFFFD"), strings.ToValidUTF8(arg, "\uFFFD")
		// run builds the conversation, the world and the input from the
		// fuzzed values with text and arg as given, and runs next and
		// settle on them.
		run := func(text, arg string) (store.Conversation, World, Input, Outcome, []Outcome) {
			course := fuzzCourse()
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
			if lang&0x80 != 0 {
				// A bot of two courses: the conversation about either.
				course.ID = "menjahit"
				w.Catalog.Courses = []store.Course{course, fuzzWelding()}
				if lang&0x40 != 0 {
					c.Course = "las"
				}
				w.SetCourse(CourseOf(w.Catalog, c))
				w.Retention = 365
			}
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
			if flags&32 != 0 { // admission's statuses (selection.go)
				st := []store.Status{store.StatusApplied, store.StatusSelected, store.StatusReserve, store.StatusNotSelected}[int(flags>>6)%4]
				w.SignedUp = append(w.SignedUp, store.Participant{UserID: 42, ChatID: 42, Batch: "angkatan-1", Status: st, Answers: map[string]string{"name": fuzzAnswer(course.Fields[0], text)}})
				w.Positions["angkatan-1"] = 1
				if st == store.StatusSelected {
					w.Offers["angkatan-1"] = store.Offer{UserID: 42, Until: testNow.Add(time.Hour), Kind: store.OfferSelected}
				}
			}

			var in Input
			switch kind % 7 {
			case 0:
				in = Input{Kind: inText, Text: text}
			case 1:
				in = Input{Kind: inCommand, Command: fuzzCommands[int(action)%len(fuzzCommands)], Arg: arg}
			case 2:
				in = Input{Kind: inContact, Phone: text, OwnContact: flags&1 == 0}
			case 3:
				cb := callback.Data{Seq: seq + seqDelta%3, Action: fuzzActions[int(action)%len(fuzzActions)], Arg: arg}
				if _, err := callback.Parse(cb.String()); err != nil {
					cb = callback.Data{Seq: -1} // what the handler makes of data that does not parse
				}
				in = Input{Kind: inButton, Button: cb}
			case 4:
				in = Input{Kind: inOther}
			case 5:
				in = Input{Kind: inTooLong}
			default:
				in = Input{Kind: inEdited}
			}

			out := Next(c, in, w)
			if out.Effect.Kind == EffNone {
				return c, w, in, out, nil
			}
			// The store carries the effect out in any of its ways.
			settled := make([]Outcome, len(fuzzResults))
			for i, err := range fuzzResults {
				r := Result{Err: err, Position: 1, Participant: store.Participant{Seat: 7}}
				if flags&8 != 0 {
					r.Before = w.SignedUp[0]
				}
				s, serr := Settle(out.Conv, w, out.Effect, r)
				if serr != nil {
					if err == nil || serr != err {
						t.Errorf("settle(%v) returned %v", err, serr)
					}
					s = Outcome{Conv: out.Conv}
				}
				settled[i] = s
			}
			return c, w, in, out, settled
		}

		c, w, in, out, settled := run(text, arg)
		what := fmt.Sprintf("next(%q step %d, %+v)", c.State, c.Step, in)
		fuzzCheck(t, what, c, out, w)
		for i, s := range settled {
			fuzzCheck(t, fmt.Sprintf("settle(effect %d, %v)", out.Effect.Kind, fuzzResults[i]), c, s, w)
		}
		// The same with the characters HTML gives a meaning to marked.
		m := newFuzzMarks(text, arg)
		_, _, _, mout, msettled := run(m.typed.Replace(text), m.typed.Replace(arg))
		fuzzSame(t, what, m, out, mout)
		if len(settled) != len(msettled) {
			t.Errorf("%s: with the characters marked the effect is settled %d times, not %d", what, len(msettled), len(settled))
			return
		}
		for i := range settled {
			fuzzSame(t, fmt.Sprintf("settle(effect %d, %v)", out.Effect.Kind, fuzzResults[i]), m, settled[i], msettled[i])
		}
	})
}
