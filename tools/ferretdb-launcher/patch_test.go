package main

// Tests of ferretdb.patch against the embedded FerretDB it builds. Run them with the
// patched module (plain `go test` would test upstream's code, and fail):
//
//	./prepare.sh /tmp/ferretdb-patched && go test -modfile=/tmp/ferretdb-patched/launcher.mod .

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

func startFerret(t *testing.T) *mongo.Database {
	t.Helper()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + t.TempDir() + "/",
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = f.Run(ctx); close(done) }()

	client, err := mongo.Connect(ctx, options.Client().ApplyURI(f.MongoDBURI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = client.Disconnect(context.Background())
		cancel()
		<-done
	})

	return client.Database("patch")
}

func seed(t *testing.T, c *mongo.Collection, n int) {
	t.Helper()
	docs := make([]any, n)
	for i := range docs {
		docs[i] = bson.D{{"_id", fmt.Sprintf("k%05d", i)}, {"n", i}, {"tags", bson.A{"a", fmt.Sprint(i % 7)}}}
	}
	if _, err := c.InsertMany(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
}

// plan runs explain on a find and returns SQLite's query plan and the pushdown flag.
func plan(t *testing.T, db *mongo.Database, coll string, filter bson.D) (string, bool) {
	t.Helper()
	var res bson.M
	cmd := bson.D{{"explain", bson.D{{"find", coll}, {"filter", filter}}}}
	if err := db.RunCommand(context.Background(), cmd).Decode(&res); err != nil {
		t.Fatal(err)
	}
	qp, _ := res["queryPlanner"].(bson.M)
	return fmt.Sprint(qp["Plan"]), res["filterPushdown"] == true
}

func TestIDFiltersUseTheIndex(t *testing.T) {
	db := startFerret(t)
	c := db.Collection("docs")
	seed(t, c, 2000)
	oid := primitive.NewObjectID()
	if _, err := c.InsertOne(context.Background(), bson.D{{"_id", oid}, {"n", -1}}); err != nil {
		t.Fatal(err)
	}
	if n, err := c.CountDocuments(context.Background(), bson.D{{"_id", oid}, {"n", -1}}); err != nil || n != 1 {
		t.Fatalf("ObjectID lookup: %d, %v", n, err)
	}

	for _, filter := range []bson.D{
		{{"_id", oid}},
		{{"_id", "k01234"}},
		{{"_id", "k01234"}, {"n", 1234}},
		{{"_id", bson.D{{"$eq", "k01234"}}}, {"tags", "a"}},
		{{"_id", bson.D{{"$in", bson.A{"k00001", "k01999"}}}}},
	} {
		p, pushed := plan(t, db, "docs", filter)
		if !pushed || !strings.Contains(p, "USING INDEX") || strings.Contains(p, "SCAN") {
			t.Errorf("filter %v: pushdown %v, plan %s", filter, pushed, p)
		}
	}

	// Not an _id constraint: no pushdown, a scan (upstream behaviour).
	if p, pushed := plan(t, db, "docs", bson.D{{"n", 5}}); pushed || !strings.Contains(p, "SCAN") {
		t.Errorf("filter on n: pushdown %v, plan %s", pushed, p)
	}
}

func TestIDPushdownKeepsTheOtherConditions(t *testing.T) {
	db := startFerret(t)
	c := db.Collection("docs")
	seed(t, c, 100)
	ctx := context.Background()

	count := func(filter bson.D) int64 {
		n, err := c.CountDocuments(ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	cases := []struct {
		filter bson.D
		want   int64
	}{
		{bson.D{{"_id", "k00042"}}, 1},
		{bson.D{{"_id", "k00042"}, {"n", 42}}, 1},
		{bson.D{{"_id", "k00042"}, {"n", 43}}, 0},
		{bson.D{{"_id", "k00042"}, {"tags", "0"}}, 1},  // 42 % 7 == 0: array membership still evaluated
		{bson.D{{"_id", "k00042"}, {"tags", "1"}}, 0},
		{bson.D{{"_id", bson.D{{"$in", bson.A{"k00001", "k00002", "nope"}}}}}, 2},
		{bson.D{{"_id", bson.D{{"$in", bson.A{"k00001", "k00002"}}}}, {"n", bson.D{{"$gt", 1}}}}, 1},
		{bson.D{{"_id", "nope"}}, 0},
	}
	for _, tc := range cases {
		if got := count(tc.filter); got != tc.want {
			t.Errorf("count %v = %d, want %d", tc.filter, got, tc.want)
		}
	}

	// Updates and deletes go through the same pushdown and must keep the other conditions.
	res, err := c.UpdateOne(ctx, bson.D{{"_id", "k00010"}, {"n", 11}}, bson.D{{"$set", bson.D{{"x", 1}}}})
	if err != nil || res.MatchedCount != 0 {
		t.Fatalf("conditional update on a stale condition: %v, %+v", err, res)
	}
	res, err = c.UpdateOne(ctx, bson.D{{"_id", "k00010"}, {"n", 10}}, bson.D{{"$set", bson.D{{"x", 1}}}})
	if err != nil || res.ModifiedCount != 1 {
		t.Fatalf("conditional update: %v, %+v", err, res)
	}
}

func TestUpdateBatchOfManyMatchingStatementsReturns(t *testing.T) {
	db := startFerret(t)
	c := db.Collection("docs")
	seed(t, c, 300)

	models := make([]mongo.WriteModel, 250)
	for i := range models {
		models[i] = mongo.NewUpdateOneModel().
			SetFilter(bson.D{{"_id", fmt.Sprintf("k%05d", i)}}).
			SetUpdate(bson.D{{"$set", bson.D{{"seen", true}}}})
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := c.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(true))
	if err != nil {
		t.Fatal(err)
	}
	if res.ModifiedCount != 250 {
		t.Fatalf("modified %d, want 250", res.ModifiedCount)
	}
}

func TestDeleteManyBeyondSQLiteVariableLimit(t *testing.T) {
	db := startFerret(t)
	c := db.Collection("docs")
	ctx := context.Background()

	const n = 33000
	for start := 0; start < n; start += 5000 {
		docs := make([]any, 0, 5000)
		for i := start; i < start+5000 && i < n; i++ {
			docs = append(docs, bson.D{{"_id", fmt.Sprintf("d%06d", i)}, {"kind", "x"}})
		}
		if _, err := c.InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
	}

	res, err := c.DeleteMany(ctx, bson.D{{"kind", "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.DeletedCount != n {
		t.Fatalf("deleted %d, want %d", res.DeletedCount, n)
	}
}

// Many clients send the same conditional write at once, as two moderators deciding one item
// or a signal racing a decision do: exactly one matches, and no increment is lost.
func TestConcurrentConditionalWritesApplyOnce(t *testing.T) {
	db := startFerret(t)
	c := db.Collection("docs")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	const clients = 8
	for run := 0; run < 10; run++ {
		id := fmt.Sprintf("cas%02d", run)
		if _, err := c.InsertOne(ctx, bson.D{{"_id", id}, {"version", 1}, {"hits", 0}}); err != nil {
			t.Fatal(err)
		}

		wins := make(chan bool, 3*clients)
		for i := 0; i < clients; i++ {
			go func() {
				res := c.FindOneAndUpdate(ctx, bson.D{{"_id", id}, {"version", 1}}, bson.D{{"$set", bson.D{{"version", 2}}}})
				wins <- res.Err() == nil
			}()
			go func() {
				res, err := c.UpdateOne(ctx, bson.D{{"_id", id}}, bson.D{{"$inc", bson.D{{"hits", 1}}}})
				wins <- false
				if err != nil || res.ModifiedCount != 1 {
					t.Errorf("increment: %v, %+v", err, res)
				}
			}()
			go func() {
				res, err := c.DeleteOne(ctx, bson.D{{"_id", id}, {"version", -1}})
				wins <- false
				if err != nil || res.DeletedCount != 0 {
					t.Errorf("delete of a version that never existed: %v, %+v", err, res)
				}
			}()
		}

		won := 0
		for i := 0; i < 3*clients; i++ {
			if <-wins {
				won++
			}
		}

		var doc bson.M
		if err := c.FindOne(ctx, bson.D{{"_id", id}}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if won != 1 {
			t.Fatalf("run %d: %d conditional writes on version 1 matched, want exactly 1", run, won)
		}
		if doc["hits"] != int32(clients) {
			t.Fatalf("run %d: hits = %v after %d concurrent increments", run, doc["hits"], clients)
		}
	}
}
