package bot

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
