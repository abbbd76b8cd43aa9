// As-you-type check-digit feedback for NHS number fields. The server checks again on submit; this only
// saves a round trip. Modulus 11: weights 10 down to 2 over the first nine digits.
function problem (typed) {
  const digits = typed.replace(/\s/g, '')
  if (digits.length === 0) return ''
  if (!/^[0-9]*$/.test(digits)) return 'An NHS number contains only the digits 0-9'
  if (digits.length < 10) return ''
  if (digits.length > 10) return 'An NHS number has 10 digits, not ' + digits.length
  let sum = 0
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i)
  let check = 11 - (sum % 11)
  if (check === 11) check = 0
  if (check === 10) return 'No valid NHS number starts with ' + digits.substring(0, 9)
  if (check !== digits.charCodeAt(9) - 48) return 'The check digit is wrong: a number starting ' + digits.substring(0, 9) + ' must end in ' + check
  return null
}

for (const input of document.querySelectorAll('[data-nhs-number-check]')) {
  const output = document.getElementById(input.dataset.nhsNumberCheck)
  input.addEventListener('input', () => {
    const found = problem(input.value)
    output.textContent = found === null ? 'This NHS number is valid' : found
  })
}
