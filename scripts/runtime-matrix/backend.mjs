// The backend under test, named by PALITRA_MATRIX_BACKEND, imported from its installed package.
export const backendName = process.env.PALITRA_MATRIX_BACKEND
if (!['worker', 'subprocess', 'deasync'].includes(backendName)) {
  throw new Error(`PALITRA_MATRIX_BACKEND must name a backend, got ${backendName}`)
}
const exports = await import(`@palitra/backend-${backendName}`)
/** Makes a fresh backend object, as the suite asks for one per runner. */
export const backendFactory = () => exports[`${backendName}Backend`]()
