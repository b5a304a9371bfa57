import { describe, expect, it } from 'vitest';
import { DbEnvError, loadDbEnv } from '../env';

describe('loadDbEnv', () => {
  it('defaults to the local server with ciro_owner / ciro_app on database ciro', () => {
    expect(loadDbEnv({})).toEqual({
      adminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      ownerUrl: 'postgres://ciro_owner@127.0.0.1:5432/ciro',
      appUrl: 'postgres://ciro_app@127.0.0.1:5432/ciro',
      database: 'ciro',
      ownerRole: 'ciro_owner',
      appRole: 'ciro_app',
      ownerPassword: undefined,
      appPassword: undefined,
    });
  });

  it('derives owner and admin URLs from DATABASE_URL when only it is set', () => {
    const env = loadDbEnv({ DATABASE_URL: 'postgres://svc:s3cr%40t@db.internal:6543/billing?sslmode=require' });
    expect(env).toMatchObject({
      appUrl: 'postgres://svc:s3cr%40t@db.internal:6543/billing?sslmode=require',
      ownerUrl: 'postgres://ciro_owner@db.internal:6543/billing?sslmode=require',
      adminUrl: 'postgres://postgres@db.internal:6543/postgres?sslmode=require',
      database: 'billing',
      appRole: 'svc',
      appPassword: 's3cr@t',
      ownerPassword: undefined,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadDbEnv({ DATABASE_URL: '', DATABASE_OWNER_URL: ' ' }).appUrl).toBe(
      'postgres://ciro_app@127.0.0.1:5432/ciro',
    );
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadDbEnv({
        DATABASE_URL: 'postgres://ciro_app@127.0.0.1:5432/one',
        DATABASE_OWNER_URL: 'postgres://ciro_app@127.0.0.1:5432/two',
        DATABASE_ADMIN_URL: 'mysql://root@localhost/x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DbEnvError);
    expect((error as DbEnvError).issues).toEqual([expect.stringMatching(/^DATABASE_ADMIN_URL: /)]);

    try {
      loadDbEnv({
        DATABASE_URL: 'postgres://ciro_app@127.0.0.1:5432/one',
        DATABASE_OWNER_URL: 'postgres://ciro_app@127.0.0.1:5432/two',
      });
    } catch (e) {
      error = e;
    }
    expect((error as DbEnvError).issues).toEqual([
      expect.stringContaining('different databases (one vs two)'),
      expect.stringContaining('must use its own role'),
    ]);
  });
});
