package conversation

// Button actions carried in callback_data. Persisted in messages already
// sent: only add.
const (
	ActRegister  = "reg"    // Daftar
	ActConsent   = "cy"     // Setuju
	ActDecline   = "cn"     // Tidak setuju
	ActBatch     = "b"      // a batch, arg = batch id
	ActOption    = "o"      // a choice, arg = option index
	ActBack      = "back"   // Kembali
	ActCancel    = "cancel" // Batal
	ActSkip      = "skip"   // Lewati
	ActConfirm   = "ok"     // Konfirmasi
	ActEdit      = "edit"   // Ubah
	ActField     = "f"      // the field to change, arg = field index
	ActLang      = "lang"   // arg = a language code
	ActJoin      = "join"   // Masuk daftar tunggu
	ActAccept    = "acc"    // Terima: take an offered seat, arg = batch id
	ActRefuse    = "dec"    // Tolak: turn an offered seat down, arg = batch id
	ActCancelReg = "creg"   // Batalkan pendaftaran, arg = batch id
	ActLeave     = "leave"  // Keluar dari daftar tunggu, arg = batch id
	ActAmend     = "amend"  // change the answers of a registration, arg = batch id
	ActErase     = "erase"  // Hapus data saya
	ActCourse    = "crs"    // a course of /start, arg = course id
)

// Admission buttons (selection.go): the selected confirm or give up their
// seat, seat holders answer "still coming?"; arg = batch id. Persisted:
// only add.
const (
	ActAttend    = "att"  // Saya ikut
	ActNotAttend = "natt" // Tidak jadi (the seat of the selected)
	ActComing    = "sc"   // Saya hadir
	ActNotComing = "snc"  // Tidak jadi (still coming?)
)
