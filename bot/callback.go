package bot

import (
	"errors"
	"strconv"
	"strings"
)

// Button actions carried in callback_data. Persisted in messages already
// sent: only add.
const (
	actRegister  = "reg"    // Daftar
	actConsent   = "cy"     // Setuju
	actDecline   = "cn"     // Tidak setuju
	actBatch     = "b"      // a batch, arg = batch id
	actOption    = "o"      // a choice, arg = option index
	actBack      = "back"   // Kembali
	actCancel    = "cancel" // Batal
	actSkip      = "skip"   // Lewati
	actConfirm   = "ok"     // Konfirmasi
	actEdit      = "edit"   // Ubah
	actField     = "f"      // the field to change, arg = field index
	actLang      = "lang"   // arg = a language code
	actJoin      = "join"   // Masuk daftar tunggu
	actAccept    = "acc"    // Terima: take an offered seat, arg = batch id
	actRefuse    = "dec"    // Tolak: turn an offered seat down, arg = batch id
	actCancelReg = "creg"   // Batalkan pendaftaran, arg = batch id
	actLeave     = "leave"  // Keluar dari daftar tunggu, arg = batch id
	actAmend     = "amend"  // change the answers of a registration, arg = batch id
	actErase     = "erase"  // Hapus data saya
	actCourse    = "crs"    // a course of /start, arg = course id
)

// Admission buttons (selection.go): the selected confirm or give up their
// seat, seat holders answer "still coming?"; arg = batch id. Persisted:
// only add.
const (
	actAttend    = "att"  // Saya ikut
	actNotAttend = "natt" // Tidak jadi (the seat of the selected)
	actComing    = "sc"   // Saya hadir
	actNotComing = "snc"  // Tidak jadi (still coming?)
)

// callback is what a button press asks for. Seq is the conversation's
// question counter when the button was sent: a press on an older message is
// stale. Nothing in it is trusted: the handler checks it against the state.
type callback struct {
	Seq    int64
	Action string
	Arg    string
}

// maxCallbackData is Telegram's limit on callback_data.
const maxCallbackData = 64

var errBadCallback = errors.New("malformed callback data")

func (c callback) String() string {
	s := strconv.FormatInt(c.Seq, 36) + ":" + c.Action
	if c.Arg != "" {
		s += ":" + c.Arg
	}
	return s
}

// parseCallback parses "seq:action[:arg]" as written by callback.String.
func parseCallback(data string) (callback, error) {
	if len(data) == 0 || len(data) > maxCallbackData {
		return callback{}, errBadCallback
	}
	parts := strings.SplitN(data, ":", 3)
	if len(parts) < 2 {
		return callback{}, errBadCallback
	}
	seq, err := strconv.ParseInt(parts[0], 36, 64)
	// Only the digits String writes: no sign, capitals or leading zeros.
	if err != nil || seq < 0 || strconv.FormatInt(seq, 36) != parts[0] {
		return callback{}, errBadCallback
	}
	c := callback{Seq: seq, Action: parts[1]}
	if len(parts) == 3 {
		c.Arg = parts[2]
	}
	if !validToken(c.Action) || (len(parts) == 3 && !validToken(c.Arg)) {
		return callback{}, errBadCallback
	}
	return c, nil
}

// validToken accepts what the bot itself puts in callback data: batch ids,
// small numbers and action names.
func validToken(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
