// Run by the mongo image on the first start of an empty volume (mounted in
// /docker-entrypoint-initdb.d by docker-compose.yml), authenticated as the
// root user: creates the app's own user, limited to reading and writing the
// app's database. For an existing volume, run it by hand (README, "Upgrade").
const dbName = 'ligne-directe';
const user = process.env.MONGO_APP_USERNAME;
const pwd = process.env.MONGO_APP_PASSWORD;
if (!user || !pwd) throw new Error('MONGO_APP_USERNAME and MONGO_APP_PASSWORD must be set (see .env.example)');

const appDb = db.getSiblingDB(dbName);
if (appDb.getUser(user)) {
  appDb.updateUser(user, { pwd, roles: [{ role: 'readWrite', db: dbName }] });
  print(`create-app-user: user ${user} updated`);
} else {
  appDb.createUser({ user, pwd, roles: [{ role: 'readWrite', db: dbName }] });
  print(`create-app-user: user ${user} created`);
}
