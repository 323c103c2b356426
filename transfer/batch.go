package transfer

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Each runs do for the items 0 to n-1 with up to workers of them at once,
// handed out in order to a fixed set of goroutines, and waits for them.
// It stops handing out items when ctx is done and then returns ctx's
// error. Commands use it for lists of independent files, each transferred
// through a Pool.
func Each(ctx context.Context, n, workers int, do func(ctx context.Context, i int)) error {
	g, gctx := errgroup.WithContext(ctx)
	items := make(chan int)
	g.Go(func() error {
		defer close(items)
		for i := range n {
			select {
			case items <- i:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range max(min(workers, n), 1) {
		g.Go(func() error {
			for i := range items {
				do(gctx, i)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}
