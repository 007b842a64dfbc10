// One validator compiler for the process: each route schema is compiled by ajv once, however many apps are built.
//
// Fastify compiles every route's schemas when an app starts (ajv generates code, a few
// milliseconds a schema). A server process builds one app, but a test file builds dozens on fresh
// databases, and compiling the same forms again was a seventh of a test file's CPU. Fastify's own
// pool already shares one ajv per set of options; this remembers, per ajv, the validator for each
// schema's text, so a schema object built afresh for each app (a route's inline params) is
// compiled once too. Same text and same options, the same validator.
import AjvCompiler from '@fastify/ajv-compiler'

type Compile = ReturnType<AjvCompiler.BuildCompilerFromPool>

const pool = AjvCompiler()
const compiled = new WeakMap<Compile, Map<string, ReturnType<Compile>>>()

export const buildValidator: AjvCompiler.BuildCompilerFromPool = (externalSchemas, options) => {
  const compile = pool(externalSchemas, options)
  let known = compiled.get(compile)
  if (!known) compiled.set(compile, (known = new Map()))
  const memo = known
  return (route) => {
    const text = JSON.stringify(route.schema)
    let validate = memo.get(text)
    if (!validate) memo.set(text, (validate = compile(route)))
    return validate
  }
}
