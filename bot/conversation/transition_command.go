package conversation

import "github.com/daftar-bot/daftar/bot/locale"

// command is a participant's command, by its canonical name. Commands
// work in every state; in the form, they leave it only where they say so.
func (t *turn) command(cmd, arg string) {
	switch cmd {
	case "start":
		if inForm(t.c.State) {
			t.say(t.m.Continue)
			t.prompt()
			return
		}
		t.home()
		t.start(arg)
	case "batal":
		switch {
		case inForm(t.c.State):
			t.cancel()
		case t.w.SignedUp.Active():
			t.say(t.m.CancelRegistered)
		default:
			t.say(t.m.NothingToCancel)
		}
	case "bantuan":
		t.say(t.m.Help + locale.ContactLine(t.m, t.w.Course, "\n\n"))
	case "status":
		t.home()
		t.status()
	case "dataku":
		t.myData()
	case "hapusdata":
		if inForm(t.c.State) {
			t.reset()
		}
		t.goTo(StateErase)
		t.prompt()
	case "bahasa":
		var row []button
		for _, c := range locale.All() {
			row = append(row, t.btn(c.Messages.LanguageName, ActLang, c.Code))
		}
		t.ask(reply{Text: t.m.ChooseLanguage, Inline: [][]button{row}})
	default:
		t.say(t.m.UnknownCommand)
	}
}
