//go:build race

package conn

// raceEnabled reports a -race build (scale tests shrink under it).
const raceEnabled = true
