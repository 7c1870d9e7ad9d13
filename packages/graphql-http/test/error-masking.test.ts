import { GraphQLError } from 'graphql';
import { maskError } from '../src';

describe('error masking', () => {
  it('keeps contract codes, their message and the public extensions only', () => {
    const formatted = {
      message: 'Invalid course',
      path: ['createCourse'],
      extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'title', message: 'x' }], stacktrace: ['at a'], serviceName: 'courses' },
    };
    expect(maskError(formatted, new GraphQLError('Invalid course'))).toEqual({
      message: 'Invalid course',
      path: ['createCourse'],
      extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'title', message: 'x' }] },
    });
  });

  it('turns anything unexpected into INTERNAL_SERVER_ERROR without its message', () => {
    const leaky = {
      message: 'connect ECONNREFUSED 10.0.3.7:5432 at PrismaClient',
      path: ['me'],
      extensions: { code: 'P1001', exception: { stacktrace: ['...'] } },
    };
    expect(maskError(leaky, new Error(leaky.message))).toEqual({
      message: 'Internal server error',
      path: ['me'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(maskError({ message: 'oops' }, new Error('oops'))).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it("maps Apollo's request errors to BAD_USER_INPUT", () => {
    expect(maskError({ message: 'Syntax Error', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, undefined)).toEqual({
      message: 'Syntax Error',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('tells the client to try again when the database could not be reached, without saying where it is', () => {
    const driver = Object.assign(new Error("Can't reach database server at 10.0.3.7:5432"), { code: 'P1001' });
    const error = new GraphQLError(driver.message, { originalError: driver });
    expect(maskError({ message: driver.message, path: ['me'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error)).toEqual({
      message: 'The database is temporarily unavailable',
      path: ['me'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    // node-postgres's own, without a code: the connection a transaction held was lost (a restart).
    const lost = new GraphQLError('x', { originalError: new Error('Client has encountered a connection error and is not queryable') });
    expect(maskError({ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, lost)).toEqual({
      message: 'The database is temporarily unavailable',
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
  });
});
