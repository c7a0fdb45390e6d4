package bot_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// transcript drives one person's chat and writes it down as they would
// read it: what they did, then what the bot did in their chat.
type transcript struct {
	e *env
	u telegramtest.User
	b strings.Builder
}

func (tr *transcript) say(text string) {
	tr.e.t.Helper()
	tr.user(text)
	tr.bot(tr.e.text(tr.u, text))
}

func (tr *transcript) press(label string) {
	tr.e.t.Helper()
	tr.user("[" + label + "]")
	tr.bot(tr.e.press(tr.u, label))
}

func (tr *transcript) shareContact(phone string) {
	tr.e.t.Helper()
	tr.user("(shares own contact " + phone + ")")
	tr.bot(tr.e.contact(tr.u, phone, tr.u.ID))
}

func (tr *transcript) user(what string) {
	fmt.Fprintf(&tr.b, "\n>>> %s\n", what)
}

// bot renders the bot's actions: messages with their buttons, toasts, and
// removed buttons. A callback answer without text only stops a spinner:
// nobody sees it.
func (tr *transcript) bot(ms []telegramtest.Message) {
	for _, m := range ms {
		switch m.Method {
		case "sendMessage":
			fmt.Fprintf(&tr.b, "<<< #%d\n", m.MessageID)
			for _, line := range strings.Split(m.Text, "\n") {
				if line == "" {
					tr.b.WriteString("\n")
					continue
				}
				fmt.Fprintf(&tr.b, "    %s\n", line)
			}
			for _, row := range m.Inline {
				var bs []string
				for _, b := range row {
					if b.URL != "" {
						bs = append(bs, fmt.Sprintf("[%s → %s]", b.Text, b.URL))
					} else {
						bs = append(bs, "["+b.Text+"]")
					}
				}
				fmt.Fprintf(&tr.b, "    %s\n", strings.Join(bs, " "))
			}
			for _, row := range m.Keyboard {
				var bs []string
				for _, b := range row {
					if b.RequestContact {
						bs = append(bs, "{"+b.Text+" (shares contact)}")
					} else {
						bs = append(bs, "{"+b.Text+"}")
					}
				}
				fmt.Fprintf(&tr.b, "    keyboard: %s\n", strings.Join(bs, " "))
			}
			if m.RemoveKeyboard {
				fmt.Fprintf(&tr.b, "    (keyboard removed)\n")
			}
		case "editMessageReplyMarkup":
			if len(m.Inline) == 0 {
				fmt.Fprintf(&tr.b, "<<< #%d: buttons removed\n", m.MessageID)
			} else {
				fmt.Fprintf(&tr.b, "<<< #%d: buttons now %q\n", m.MessageID, labels(m))
			}
		case "answerCallbackQuery":
			if m.Text != "" {
				fmt.Fprintf(&tr.b, "<<< toast: %s\n", m.Text)
			}
		default:
			fmt.Fprintf(&tr.b, "<<< %s #%d\n", m.Method, m.MessageID)
		}
	}
}

// Ensure that a whole registration reads as the golden transcripts in
// testdata say, in Indonesian and in English: one wrong answer, a step
// back, a change from the summary, the confirmation and /status. Every
// step is answered by one message, but for the side requests (a press's
// toast, old buttons cleared).
// go test ./bot -run TestBot_Transcript -update rewrites them.
func TestBot_Transcript(t *testing.T) {
	for _, c := range []struct {
		lang                                                 string
		title                                                string
		register, agree, back, beginner, edit, addr, confirm string
	}{
		{"id", "Pendaftaran dalam bahasa Indonesia", "Daftar", "Setuju", "Kembali", "Pemula", "Ubah", "Alamat (desa/kelurahan, kecamatan)", "Konfirmasi"},
		{"en", "Registration in English", "Register", "I agree", "Back", "Beginner", "Edit", "Address (village, district)", "Confirm"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			e := startEnv(t)
			tr := &transcript{e: e, u: telegramtest.User{ID: 700001, FirstName: "Siti", LastName: "Aminah", LanguageCode: c.lang}}
			fmt.Fprintf(&tr.b, "# %s (Telegram language %q).\n# Golden file of TestBot_Transcript: go test ./bot -run TestBot_Transcript -update\n", c.title, c.lang)
			fmt.Fprintf(&tr.b, "# >>> is the person, <<< #n the bot's message n; [x] inline buttons, {x} the reply keyboard.\n")
			tr.say("/start")
			tr.press(c.register)
			tr.press(c.agree)
			tr.say("Si") // too short
			tr.say("Siti Aminah")
			tr.shareContact("6281234567890")
			tr.say(c.back) // from the NIK back to the phone: typed, as the NIK question that removed the contact keyboard says
			tr.say("0812-3456-7890")
			tr.say("3509015708900001")
			tr.say("17-08-1990")
			tr.say("Jl. Mawar No. 5, Sumbersari")
			tr.press(c.beginner)
			tr.press(c.edit)
			tr.press(c.addr)
			tr.say("Jl. Melati No. 7 & 9, Patrang")
			tr.press(c.confirm)
			tr.say("/status")

			ps := e.participants()
			if len(ps) != 1 || ps[0].Answers["address"] != "Jl. Melati No. 7 & 9, Patrang" || ps[0].Lang != c.lang {
				t.Errorf("participants %+v", ps)
			}
			golden(t, filepath.Join("testdata", "registration_"+c.lang+".golden"), tr.b.String())
		})
	}
}

// golden compares got with the file at path, or rewrites the file with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s differs from line %d:\n got %q\nwant %q\n(run with -update to accept the change)", path, i+1, gl, wl)
		}
	}
}
