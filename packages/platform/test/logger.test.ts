import { createLogger, maskSecrets } from '../src/logger';

describe('log masking', () => {
  it.each([
    ['an email', 'login failed for Maria.Lopez+1@escuela.edu.mx today', 'login failed for [email] today'],
    ['a JWT', 'token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl used', 'token [token] used'],
    ['an unsigned JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', '[token]'],
    ['a bearer credential', 'authorization: Bearer abc.def-ghi', 'authorization: Bearer [token]'],
    ['a CURP', 'CURP HEGG560427MVZRRL04 rejected', 'CURP [curp] rejected'],
  ])('masks %s', (_what, text, masked) => {
    expect(maskSecrets(text)).toBe(masked);
  });

  it('leaves ids, codes and standards alone', () => {
    const text = 'certificate 5b0c1a9e-1f7e-4c4b-9d7a-0c2b3d4e5f60 EC0217.01 code ACAD-7F3K-2Q9M status 200';
    expect(maskSecrets(text)).toBe(text);
  });

  it('masks every line a logger writes: messages, fields, errors, redacted paths', () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'test', destination: { write: (line: string) => void lines.push(line) } });
    logger.error(
      { err: new Error('duplicate key (email)=(ana@coop.mx)'), email: 'ana@coop.mx', note: 'curp HEGG560427MVZRRL04' },
      'sign-up of ana@coop.mx failed',
    );
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      msg: 'sign-up of [email] failed',
      email: '[redacted]',
      note: 'curp [curp]',
      err: { message: 'duplicate key (email)=([email])' },
    });
    expect(lines[0]).not.toMatch(/ana@coop\.mx|HEGG560427/);
  });
});
