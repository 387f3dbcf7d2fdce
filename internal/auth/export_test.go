package auth

// Verifications returns how many password verifications s has run.
func Verifications(s *Service) int64 { return s.verifications.Load() }
