package telegram

import (
	"bytes"
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Document is a file an outbox entry uploads (a certificate), made when
// it is sent, with a caption in HTML.
type Document struct {
	Name    string
	Data    []byte
	Caption string
}

// sendDocument uploads d to chat and returns the new message's id.
func (s *Sender) sendDocument(ctx context.Context, c class, chat int64, d Document) (int, error) {
	var id int
	err := s.do(ctx, c, chat, func(ctx context.Context, api *tgbot.Bot) error {
		msg, err := api.SendDocument(ctx, &tgbot.SendDocumentParams{
			ChatID:    chat,
			Document:  &models.InputFileUpload{Filename: d.Name, Data: bytes.NewReader(d.Data)},
			Caption:   d.Caption,
			ParseMode: models.ParseModeHTML,
		})
		if err == nil {
			id = msg.ID
		}
		return err
	})
	return id, err
}
