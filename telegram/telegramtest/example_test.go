package telegramtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// A user writes to the bot, the bot polls and answers, the test sees the answer.
func ExampleServer() {
	s := telegramtest.NewServer("123:secret")
	defer s.Close()

	siti := telegramtest.User{ID: 42, FirstName: "Siti", LanguageCode: "id"}
	s.SendText(siti, "/start")

	// What a bot does, here with plain HTTP.
	resp, err := http.PostForm(s.URL()+"/bot123:secret/getUpdates", url.Values{"timeout": {"1"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	var ups struct {
		Result []struct {
			UpdateID int64 `json:"update_id"`
			Message  struct {
				Chat struct{ ID int64 } `json:"chat"`
				Text string             `json:"text"`
			} `json:"message"`
		} `json:"result"`
	}
	json.NewDecoder(resp.Body).Decode(&ups)
	resp.Body.Close()
	u := ups.Result[0]
	fmt.Println(u.UpdateID, u.Message.Text)
	after := s.LastSeq()
	resp, err = http.PostForm(s.URL()+"/bot123:secret/sendMessage", url.Values{
		"chat_id":    {fmt.Sprint(u.Message.Chat.ID)},
		"text":       {"Selamat datang, <b>Siti</b>!"},
		"parse_mode": {"HTML"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := s.WaitSent(ctx, after, func(m telegramtest.Message) bool { return m.ChatID == siti.ID })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Method, m.MessageID, m.Text)
	// Output:
	// 1 /start
	// sendMessage 2 Selamat datang, Siti!
}
