package telegramtest_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that the real client library talks to the server: requests are
// parsed, results and updates decode, and errors map to the library's types.
func TestServer_Client(t *testing.T) {
	s := mustServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	updates := make(chan *models.Update, 10)
	b, err := tgbot.New(token,
		tgbot.WithServerURL(s.URL()),
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithErrorsHandler(func(err error) { t.Logf("tgbot: %v", err) }),
		tgbot.WithDefaultHandler(func(_ context.Context, _ *tgbot.Bot, u *models.Update) { updates <- u }),
	)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("sendMessage with inline keyboard", func(t *testing.T) {
		m, err := b.SendMessage(ctx, &tgbot.SendMessageParams{
			ChatID:    ann.ID,
			Text:      "<b>Pelatihan Menjahit</b> &amp; kursus",
			ParseMode: models.ParseModeHTML,
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
				{Text: "Daftar", CallbackData: "reg:angkatan-1"},
				{Text: "Info", URL: "https://example.org"},
			}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if m.ID != 1 || m.Text != "Pelatihan Menjahit & kursus" || m.Chat.ID != ann.ID || m.From == nil || m.From.ID != 4242 {
			t.Fatalf("message = %+v", m)
		}
		if m.ReplyMarkup == nil || m.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "reg:angkatan-1" {
			t.Fatalf("reply_markup = %+v", m.ReplyMarkup)
		}
		got, ok := s.Current(ann.ID, 1)
		want := [][]telegramtest.Button{{
			{Text: "Daftar", CallbackData: "reg:angkatan-1"},
			{Text: "Info", URL: "https://example.org"},
		}}
		if !ok || got.RawText != "<b>Pelatihan Menjahit</b> &amp; kursus" || len(got.Inline) != 1 || got.Inline[0][0] != want[0][0] || got.Inline[0][1] != want[0][1] {
			t.Fatalf("Current = %+v", got)
		}
	})
	t.Run("sendDocument upload", func(t *testing.T) {
		_, err := b.SendDocument(ctx, &tgbot.SendDocumentParams{
			ChatID:   ann.ID,
			Document: &models.InputFileUpload{Filename: "peserta.xlsx", Data: bytes.NewReader([]byte("PK\x03\x04"))},
			Caption:  "Ekspor",
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.SentTo(ann.ID); got[1].FileName != "peserta.xlsx" || string(got[1].FileData) != "PK\x03\x04" || got[1].Caption != "Ekspor" {
			t.Fatalf("recorded %+v", got[1])
		}
	})
	t.Run("empty parameters", func(t *testing.T) {
		// The library sends a form with only the closing boundary.
		if _, err := b.GetMyCommands(ctx, &tgbot.GetMyCommandsParams{}); err != nil {
			t.Fatal(err)
		}
		if ok, err := b.DeleteMyCommands(ctx, &tgbot.DeleteMyCommandsParams{}); err != nil || !ok {
			t.Fatal(ok, err)
		}
	})
	t.Run("429 is TooManyRequestsError", func(t *testing.T) {
		s.Inject("sendMessage", telegramtest.Fault{Status: 429, RetryAfter: 7, Times: 1})
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: ann.ID, Text: "x"})
		var tooMany *tgbot.TooManyRequestsError
		if !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("403 is ErrorForbidden", func(t *testing.T) {
		s.Block(77)
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 77, Text: "x"})
		if !errors.Is(err, tgbot.ErrorForbidden) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("polling and callback queries", func(t *testing.T) {
		pollCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			b.Start(pollCtx)
		}()
		defer func() { stop(); <-done }()

		s.SendText(ann, "/start")
		id, err := s.PressButton(ann, "Daftar")
		if err != nil {
			t.Fatal(err)
		}
		var got []*models.Update
		for len(got) < 2 {
			select {
			case u := <-updates:
				got = append(got, u)
			case <-ctx.Done():
				t.Fatalf("got %d updates", len(got))
			}
		}
		if got[0].Message == nil || got[0].Message.Text != "/start" || got[0].Message.From.ID != ann.ID {
			t.Fatalf("first update %+v", got[0])
		}
		cb := got[1].CallbackQuery
		if got[1].ID != id || cb == nil || cb.Data != "reg:angkatan-1" || cb.Message.Message == nil || cb.Message.Message.ID != 1 {
			t.Fatalf("callback update %+v", got[1])
		}
		ok, err := b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: cb.ID, Text: "Oke"})
		if err != nil || !ok {
			t.Fatalf("answer: %v, %v", ok, err)
		}
	})
}
