package bot_test

import (
	"testing"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that with updates pushed to a webhook two people register as
// they do by polling, turn by turn and across a restart of the bot in
// the middle, without the bot ever polling.
func TestRegistration_Webhook(t *testing.T) {
	e := newEnv(t)
	addr, err := telegramtest.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	e.opt = func(o *bot.Options) {
		o.Webhook = telegram.Webhook{URL: "http://" + addr + "/telegram", Listen: addr, MaxConnections: 40}
	}
	e.start()
	a, b := toSummary(siti), toSummary(budi)
	for i := range a {
		e.act(siti.user, a[i])
		e.act(budi.user, b[i])
		if i == 3 {
			e.restart()
		}
	}
	e.act(siti.user, presses("Konfirmasi", "kursi nomor 1"))
	e.act(budi.user, presses("Konfirmasi", "kursi nomor 2"))
	ps := e.participants()
	if len(ps) != 2 || ps[0].UserID != siti.user.ID || ps[1].UserID != budi.user.ID || ps[1].Status != store.StatusRegistered {
		t.Fatalf("participants %+v, want Siti and Budi registered", ps)
	}
	if n := e.srv.Requests("getUpdates"); n != 0 {
		t.Errorf("%d getUpdates with a webhook, want none", n)
	}
	e.assertIdle()
}
