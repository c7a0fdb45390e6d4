package locale

var intakeMessagesID = IntakeMessages{
	NIKTaken:    "Mohon maaf, NIK ini sudah terdaftar di <b>%s</b> lewat akun Telegram lain, dan setiap orang hanya mendapat satu tempat di sana. Jika ini NIK Anda dan Anda tidak pernah mendaftar, mohon hubungi penyelenggara.",
	NIKFull:     "Mohon maaf, NIK ini sudah memegang tempat di pelatihan ini, dan setiap orang hanya boleh memegang %d tempat sekaligus di pelatihan ini. Jika ini NIK Anda dan Anda tidak pernah mendaftar, mohon hubungi penyelenggara.",
	AccountFull: "Anda sudah terdaftar di pelatihan ini, jadi belum bisa mendaftar juga di <b>%s</b>: setiap orang hanya boleh memegang %d tempat sekaligus di pelatihan ini. Ketik /status untuk melihat atau membatalkan pendaftaran Anda.",
	TooYoung:    "Mohon maaf, <b>%s</b> untuk peserta berusia minimal %d tahun pada hari pertamanya (%s). Menurut tanggal lahir Anda, usia Anda belum cukup.",
	TooOld:      "Mohon maaf, <b>%s</b> untuk peserta berusia paling tinggi %d tahun pada hari pertamanya (%s). Menurut tanggal lahir Anda, usia Anda melewati batas itu.",
	Region:      "Mohon maaf, <b>%s</b> hanya untuk penduduk wilayah tertentu, dilihat dari kode wilayah pada NIK (KTP), dan NIK ini dari wilayah lain.",
	Recent:      "Mohon maaf, menurut NIK ini Anda sudah mengikuti pelatihan ini dalam %d bulan terakhir. Pelatihan ini mendahulukan yang belum pernah ikut.",
	FixAnswer:   "Jawaban Anda masih tersimpan: pilih jawaban yang ingin diubah, atau tekan Batal.",

	AskContact:   "Jika menurut Anda ini keliru, hubungi panitia: %s",
	AskOrganiser: "Jika menurut Anda ini keliru, hubungi penyelenggara: %s",

	PhoneShared:     "⚠️ Nomor HP ini juga dipakai oleh: %s. Periksa apakah mereka orang yang berbeda (misalnya satu keluarga) atau pendaftaran ganda.",
	PhoneSharedMark: " ⚠️",
	PhoneSharedHint: "⚠️ nomor HP yang dipakai lebih dari satu orang.",
	LogNIKConflict:  "memakai NIK yang sudah memegang tempat di %s lewat akun lain (ditolak)",
}
