package generation

import "errors"

// ErrLocked is TryLock's answer when another holds the lock.
var ErrLocked = errors.New("locked by another process")
